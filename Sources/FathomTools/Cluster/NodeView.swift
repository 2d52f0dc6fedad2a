import FathomCore

/// A node's readiness, cordoning and pressure, as `nodes_list` and `cluster_health` read them.
struct NodeView {
    let node: JSONValue
    let conditions: [JSONValue]

    init(_ node: JSONValue) {
        self.node = node
        conditions = node.at("status.conditions")?.arrayValue ?? []
    }

    private var readyCondition: JSONValue? { conditions.first { $0["type"]?.stringValue == "Ready" } }
    var isCordoned: Bool { node.at("spec.unschedulable")?.boolValue == true }

    /// kubectl's STATUS: anything but a True Ready condition (False, Unknown, missing) is NotReady.
    var status: String {
        (readyCondition?["status"]?.stringValue == "True" ? "Ready" : "NotReady") + (isCordoned ? ",SchedulingDisabled" : "")
    }

    /// The conditions other than Ready that hold: MemoryPressure, DiskPressure, PIDPressure, NetworkUnavailable.
    var pressure: [String] {
        conditions.filter { $0["type"]?.stringValue != "Ready" && $0["status"]?.stringValue == "True" }.compactMap { $0["type"]?.stringValue }
    }

    /// Why the node needs a look (`NotReady (reason): message; MemoryPressure; cordoned`), or nil.
    var problem: String? {
        var problems: [String] = []
        if let ready = readyCondition, ready["status"]?.stringValue != "True" {
            problems.append("NotReady" + (ready["reason"]?.stringValue.map { " (\($0))" } ?? "") + (ready["message"]?.stringValue.map { ": \($0)" } ?? ""))
        }
        problems += pressure
        if isCordoned { problems.append("cordoned") }
        return problems.isEmpty ? nil : problems.joined(separator: "; ")
    }
}
