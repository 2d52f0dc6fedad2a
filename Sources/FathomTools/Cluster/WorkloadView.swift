import FathomCore

/// A Deployment, StatefulSet, DaemonSet or ReplicaSet: desired against ready, up-to-date and available
/// replicas, and its rollout status worded as `kubectl rollout status` words it.
struct WorkloadView {
    let object: JSONValue
    let kind: String

    private func int(_ path: String) -> Int { object.at(path)?.intValue ?? 0 }

    var desired: Int { kind == "DaemonSet" ? int("status.desiredNumberScheduled") : (object.at("spec.replicas")?.intValue ?? 1) }
    var ready: Int { kind == "DaemonSet" ? int("status.numberReady") : int("status.readyReplicas") }
    var updated: Int {
        switch kind {
        case "DaemonSet": int("status.updatedNumberScheduled")
        case "ReplicaSet": int("status.fullyLabeledReplicas")
        default: int("status.updatedReplicas")
        }
    }
    var available: Int { kind == "DaemonSet" ? int("status.numberAvailable") : int("status.availableReplicas") }
    var images: [String] {
        (object.at("spec.template.spec.containers")?.arrayValue ?? []).compactMap { $0["image"]?.stringValue }
    }

    /// Why the workload needs a look, or nil.
    var problem: String? {
        if let condition = (object.at("status.conditions")?.arrayValue ?? []).first(where: {
            $0["reason"]?.stringValue == "ProgressDeadlineExceeded" || ($0["type"]?.stringValue == "ReplicaFailure" && $0["status"]?.stringValue == "True")
        }) {
            return "\(condition["reason"]?.stringValue ?? ""): \(condition["message"]?.stringValue ?? "")"
        }
        if ready < desired { return "\(ready)/\(desired) ready" }
        return nil
    }

    /// `kubectl rollout status`'s sentence, and whether the rollout is done.
    var rolloutStatus: (text: String, done: Bool) {
        let name = object.objectName
        let generation = int("metadata.generation")
        let observed = int("status.observedGeneration")
        switch kind {
        case "Deployment":
            guard generation <= observed else { return ("Waiting for deployment spec update to be observed...", false) }
            if (object.at("status.conditions")?.arrayValue ?? []).contains(where: { $0["reason"]?.stringValue == "ProgressDeadlineExceeded" }) {
                return ("deployment \"\(name)\" exceeded its progress deadline", false)
            }
            let replicas = int("status.replicas")
            if updated < desired {
                return ("Waiting for deployment \"\(name)\" rollout to finish: \(updated) out of \(desired) new replicas have been updated...", false)
            }
            if replicas > updated {
                return ("Waiting for deployment \"\(name)\" rollout to finish: \(replicas - updated) old replicas are pending termination...", false)
            }
            if available < updated {
                return ("Waiting for deployment \"\(name)\" rollout to finish: \(available) of \(updated) updated replicas are available...", false)
            }
            return ("deployment \"\(name)\" successfully rolled out", true)
        case "StatefulSet":
            if object.at("spec.updateStrategy.type")?.stringValue == "OnDelete" {
                return ("rollout status is only available for RollingUpdate strategy type", true)
            }
            guard generation <= observed else { return ("Waiting for statefulset spec update to be observed...", false) }
            if ready < desired { return ("Waiting for \(desired - ready) pods to be ready...", false) }
            let current = object.at("status.currentRevision")?.stringValue ?? ""
            let update = object.at("status.updateRevision")?.stringValue ?? ""
            if !update.isEmpty && update != current {
                return ("waiting for statefulset rolling update to complete \(updated) pods at revision \(update)...", false)
            }
            return ("statefulset rolling update complete \(ready) pods at revision \(current)...", true)
        case "DaemonSet":
            guard generation <= observed else { return ("Waiting for daemon set spec update to be observed...", false) }
            if updated < desired {
                return ("Waiting for daemon set \"\(name)\" rollout to finish: \(updated) out of \(desired) new pods have been updated...", false)
            }
            if available < desired {
                return ("Waiting for daemon set \"\(name)\" rollout to finish: \(available) of \(desired) updated pods are available...", false)
            }
            return ("daemon set \"\(name)\" successfully rolled out", true)
        default:
            return ("\(ready) of \(desired) replicas ready", ready >= desired)
        }
    }

    func cells(now: Double, namespace: Bool) -> [String] {
        (namespace ? [object.objectNamespace ?? ""] : [])
            + [object.objectName, "\(ready)/\(desired)", "\(updated)", "\(available)", KubeFormat.age(object.created, now: now),
                images.joined(separator: ","), problem ?? ""]
    }

    static func headers(namespace: Bool) -> [String] {
        (namespace ? ["NAMESPACE"] : []) + ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "IMAGES", "PROBLEM"]
    }

    func summary(now: Double) -> JSONValue {
        var json: [String: JSONValue] = [
            "name": .string(object.objectName), "kind": .string(kind), "desired": .int(desired), "ready": .int(ready),
            "upToDate": .int(updated), "available": .int(available), "age": .string(KubeFormat.age(object.created, now: now)),
            "images": .array(images.map { .string($0) }), "rollout": .string(rolloutStatus.text),
        ]
        if let namespace = object.objectNamespace { json["namespace"] = .string(namespace) }
        if let problem { json["problem"] = .string(problem) }
        return .object(json)
    }

    /// `spec.selector.matchLabels` (and simple matchExpressions) as a label selector.
    static func selector(_ object: JSONValue) -> String {
        var parts = KubeFormat.labels(object.at("spec.selector.matchLabels")).split(separator: ",").map(String.init)
        for expression in object.at("spec.selector.matchExpressions")?.arrayValue ?? [] {
            let key = expression["key"]?.stringValue ?? ""
            let values = (expression["values"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: ",")
            switch expression["operator"]?.stringValue {
            case "In": parts.append("\(key) in (\(values))")
            case "NotIn": parts.append("\(key) notin (\(values))")
            case "Exists": parts.append(key)
            case "DoesNotExist": parts.append("!\(key)")
            default: break
            }
        }
        return parts.joined(separator: ",")
    }
}
