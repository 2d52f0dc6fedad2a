import FathomCore

struct PodsGetTool: Tool {
    struct Arguments: Decodable, Sendable {
        var cluster: String?
        var name: String
        var namespace: String?
    }

    static let name = "pods_get"
    static let title = "Describe a pod"
    static let description = "One pod as `kubectl describe` would tell it: status, node, conditions, each container's image, state, last state (reason, exit code), restarts, requests and limits, env (secret-looking values masked), and the pod's events, newest first."
    static let inputSchema = ClusterToolset.schema(
        ["name": ClusterToolset.name("Pod name."), "namespace": ClusterToolset.name("Namespace; default: the cluster's.")],
        required: ["name"])
    static let annotations = ToolAnnotations.readOnly(openWorld: true)
    static let toolset = ClusterToolset.name
    let clusters: KubeClusters

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let client = try clusters.client(arguments.cluster)
        let namespace = arguments.namespace ?? client.cluster.namespace
        async let eventList = client.list(
            .events, namespace: namespace, fieldSelector: "involvedObject.kind=Pod,involvedObject.name=\(arguments.name)")
        let pod = try await client.json(.GET, KubeDiscovery.Resource.pods.path(namespace: namespace, object: arguments.name))
        let now = KubeFormat.now()
        let view = PodView(pod)
        var lines = [
            "Pod \(namespace)/\(pod.objectName) · \(view.status) · \(view.ready) ready · \(view.restarts) restarts · node \(view.node)"
                + " · IP \(pod["status"]?["podIP"]?.stringValue ?? "<none>") · age \(KubeFormat.age(pod.created, now: now))"
        ]
        if let problem = view.problem(now: now) { lines.append("Problem: \(problem)") }
        if let owner = pod["metadata"]?["ownerReferences"]?.arrayValue?.first {
            lines.append("Controlled by: \(owner["kind"]?.stringValue ?? "")/\(owner["name"]?.stringValue ?? "")")
        }
        let labels = KubeFormat.labels(pod["metadata"]?["labels"])
        if !labels.isEmpty { lines.append("Labels: \(labels)") }
        let conditions = (pod["status"]?["conditions"]?.arrayValue ?? []).map { condition in
            "\(condition["type"]?.stringValue ?? "")=\(condition["status"]?.stringValue ?? "")"
                + (condition["reason"]?.stringValue.map { " (\($0))" } ?? "")
        }
        if !conditions.isEmpty { lines.append("Conditions: " + conditions.joined(separator: ", ")) }
        var containers: [JSONValue] = []
        let statuses = (pod["status"]?["initContainerStatuses"]?.arrayValue ?? []) + (pod["status"]?["containerStatuses"]?.arrayValue ?? [])
        for (isInit, spec) in (pod["spec"]?["initContainers"]?.arrayValue ?? []).map({ (true, $0) })
            + (pod["spec"]?["containers"]?.arrayValue ?? []).map({ (false, $0) })
        {
            let name = spec["name"]?.stringValue ?? ""
            let status = statuses.first { $0["name"]?.stringValue == name }
            let (text, json) = Self.container(spec, status: status, isInit: isInit, now: now)
            lines += text
            containers.append(json)
        }
        var eventsJSON: [JSONValue] = []
        do {
            let events = EventView.sorted(try await eventList.items)
            lines.append("Events (\(events.count), newest first):")
            if !events.isEmpty {
                lines.append(KubeFormat.table(EventView.headers(namespace: false), events.prefix(30).map { $0.cells(now: now, namespace: false) }))
            }
            eventsJSON = events.prefix(30).map { $0.summary(now: now) }
        } catch {
            lines.append("Events: not available (\(error))")
        }
        guard case .object(var structured) = view.summary(now: now) else { return .text(lines.joined(separator: "\n")) }
        structured["cluster"] = .string(client.name)
        structured["containers"] = .array(containers)
        structured["events"] = .array(eventsJSON)
        return .text(lines.joined(separator: "\n"), structured: .object(structured))
    }

    private static func container(_ spec: JSONValue, status: JSONValue?, isInit: Bool, now: Double) -> ([String], JSONValue) {
        let name = spec["name"]?.stringValue ?? ""
        var lines = ["\(isInit ? "Init container" : "Container") \(name) · \(spec["image"]?.stringValue ?? "")"]
        var json: [String: JSONValue] = ["name": .string(name), "image": .string(spec["image"]?.stringValue ?? ""), "init": .bool(isInit)]
        if let status {
            let state = Self.state(status["state"], now: now)
            lines.append("  state: \(state)")
            json["state"] = .string(state)
            if let last = status["lastState"], last.objectValue?.isEmpty == false {
                let text = Self.state(last, now: now)
                lines.append("  last state: \(text)")
                json["lastState"] = .string(text)
            }
            let restarts = status["restartCount"]?.intValue ?? 0
            lines.append("  ready: \(status["ready"]?.boolValue ?? false) · restarts: \(restarts)")
            json["ready"] = .bool(status["ready"]?.boolValue ?? false)
            json["restarts"] = .int(restarts)
        }
        for kind in ["requests", "limits"] {
            let values = spec["resources"]?[kind]?.objectValue ?? [:]
            guard !values.isEmpty else { continue }
            lines.append("  \(kind): " + values.keys.sorted().map { "\($0)=\(values[$0]?.stringValue ?? "")" }.joined(separator: " "))
            json[kind] = .object(values)
        }
        let env = (spec["env"]?.arrayValue ?? []).map(ClusterRedaction.env)
        if !env.isEmpty {
            lines.append("  env: " + env.joined(separator: ", "))
            json["env"] = .array(env.map { .string($0) })
        }
        return (lines, .object(json))
    }

    /// `running since 4m`, `waiting: CrashLoopBackOff (back-off 5m0s …)`, `terminated: OOMKilled, exit code 137, 4m ago`.
    static func state(_ state: JSONValue?, now: Double) -> String {
        if let running = state?["running"] {
            return "running, started \(KubeFormat.age(running["startedAt"]?.stringValue, now: now)) ago"
        }
        if let waiting = state?["waiting"] {
            return "waiting: \(waiting["reason"]?.stringValue ?? "")" + (waiting["message"]?.stringValue.map { " (\($0))" } ?? "")
        }
        if let terminated = state?["terminated"] {
            return "terminated: \(PodView.terminationReason(terminated)), exit code \(terminated["exitCode"]?.intValue ?? 0)"
                + (terminated["finishedAt"]?.stringValue.map { ", \(KubeFormat.age($0, now: now)) ago" } ?? "")
                + (terminated["message"]?.stringValue.map { ": \($0)" } ?? "")
        }
        return "unknown"
    }
}
