import FathomCore

/// Secret values that a cluster read could carry: env values, Secret data, annotations.
enum ClusterRedaction {
    static let redactor = Redactor()

    /// `NAME=value`, masked when the name says it is a secret or the value looks like one;
    /// `NAME from secret s/key` for a reference, which holds no value.
    static func env(_ variable: JSONValue) -> String {
        let name = variable["name"]?.stringValue ?? ""
        if let reference = variable["valueFrom"] {
            if let secret = reference["secretKeyRef"] {
                return "\(name) from secret \(secret["name"]?.stringValue ?? "")/\(secret["key"]?.stringValue ?? "")"
            }
            if let map = reference["configMapKeyRef"] {
                return "\(name) from configmap \(map["name"]?.stringValue ?? "")/\(map["key"]?.stringValue ?? "")"
            }
            if let field = reference["fieldRef"]?["fieldPath"]?.stringValue { return "\(name) from field \(field)" }
            return "\(name) from a reference"
        }
        let value = variable["value"]?.stringValue ?? ""
        if Redactor.isSecretKey(name) && !value.isEmpty { return "\(name)=\(Redactor.mask)" }
        return "\(name)=\(redactor.redact(value))"
    }

    /// An object as a client may see it: `managedFields` dropped, a Secret's `data` and `stringData`
    /// values masked with their sizes, and the Redactor over everything else (env, annotations,
    /// `last-applied-configuration`).
    static func object(_ object: JSONValue) -> JSONValue {
        guard case .object(var fields) = object else { return redactor.redact(object) }
        if case .object(var metadata) = fields["metadata"] {
            metadata.removeValue(forKey: "managedFields")
            fields["metadata"] = .object(metadata)
        }
        if fields["kind"]?.stringValue == "Secret" {
            for key in ["data", "stringData"] {
                guard let data = fields[key]?.objectValue else { continue }
                fields[key] = .object(data.mapValues { value in .string("\(Redactor.mask) (\(value.stringValue?.utf8.count ?? 0) bytes)") })
            }
            if case .object(var metadata) = fields["metadata"], case .object(var annotations) = metadata["annotations"] {
                annotations.removeValue(forKey: "kubectl.kubernetes.io/last-applied-configuration")
                metadata["annotations"] = .object(annotations)
                fields["metadata"] = .object(metadata)
            }
        }
        return redact(.object(fields))
    }

    /// The Redactor's value patterns on every string, plus: a string under a secret-named key (`password`,
    /// `token`) and the `value` of an env entry with a secret-named `name` are masked. Names of things
    /// (`secretName`, `secretKeyRef`, `tokenExpirationSeconds`) stay, so an object still reads.
    static func redact(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text):
            return .string(redactor.redact(text))
        case .array(let items):
            return .array(items.map(redact))
        case .object(var object):
            let envName = object["name"]?.stringValue
            for (key, member) in object {
                if case .string(let text) = member, !text.isEmpty,
                    (key == "value" && envName.map(Redactor.isSecretKey) == true) || isSecretField(key)
                {
                    object[key] = .string(Redactor.mask)
                } else {
                    object[key] = redact(member)
                }
            }
            return .object(object)
        default:
            return value
        }
    }

    private static func isSecretField(_ key: String) -> Bool {
        guard Redactor.isSecretKey(key) else { return false }
        return !["Name", "Ref", "Path", "Key", "Namespace", "Seconds", "Kind", "Names"].contains { key.hasSuffix($0) }
    }
}
