import FathomCore

/// A core/v1 Event as `kubectl get events` shows it.
struct EventView {
    let event: JSONValue
    /// The last time it happened: lastTimestamp, else eventTime, else creation.
    let time: Double

    init(_ event: JSONValue) {
        self.event = event
        time =
            KubeFormat.time(event["lastTimestamp"]?.stringValue) ?? KubeFormat.time(event["eventTime"]?.stringValue)
            ?? KubeFormat.time(event["series"]?["lastObservedTime"]?.stringValue) ?? KubeFormat.time(event.created) ?? 0
    }

    var type: String { event["type"]?.stringValue ?? "" }
    var reason: String { event["reason"]?.stringValue ?? "" }
    var object: String {
        let involved = event["involvedObject"] ?? event["regarding"]
        return "\((involved?["kind"]?.stringValue ?? "").lowercased())/\(involved?["name"]?.stringValue ?? "")"
    }
    var count: Int { event["count"]?.intValue ?? event["series"]?["count"]?.intValue ?? 1 }
    var message: String {
        (event["message"]?.stringValue ?? event["note"]?.stringValue ?? "").split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    func cells(now: Double, namespace: Bool) -> [String] {
        (namespace ? [event.objectNamespace ?? ""] : [])
            + [KubeFormat.duration(now - time), type, reason, object, String(count), message]
    }

    static func headers(namespace: Bool) -> [String] {
        (namespace ? ["NAMESPACE"] : []) + ["LAST SEEN", "TYPE", "REASON", "OBJECT", "COUNT", "MESSAGE"]
    }

    func summary(now: Double) -> JSONValue {
        var object: [String: JSONValue] = [
            "type": .string(type), "reason": .string(reason), "object": .string(object), "message": .string(message),
            "count": .int(count), "lastSeen": .string(KubeFormat.duration(now - time)),
        ]
        if let namespace = event.objectNamespace { object["namespace"] = .string(namespace) }
        return .object(object)
    }

    /// Newest first.
    static func sorted(_ events: [JSONValue]) -> [EventView] {
        events.map(EventView.init).sorted { $0.time > $1.time }
    }
}
