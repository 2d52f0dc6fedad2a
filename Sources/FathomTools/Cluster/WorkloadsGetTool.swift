import FathomCore

struct WorkloadsGetTool: Tool {
    struct Arguments: Decodable, Sendable {
        var cluster: String?
        var kind: String
        var name: String
        var namespace: String?
    }

    static let name = "workloads_get"
    static let title = "Describe a deployment, statefulset, daemonset or replicaset"
    static let description = "One workload: rollout status as `kubectl rollout status` says it, replicas, conditions, images, revision history (a deployment's ReplicaSets by revision, with change-cause), and its pods with their status."
    static let inputSchema = ClusterToolset.schema(
        [
            "kind": ClusterToolset.workloadKindProperty,
            "name": ClusterToolset.name("Workload name."),
            "namespace": ClusterToolset.name("Namespace; default: the cluster's."),
        ],
        required: ["kind", "name"])
    static let annotations = ToolAnnotations.readOnly(openWorld: true)
    static let toolset = ClusterToolset.name
    let clusters: KubeClusters

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let client = try clusters.client(arguments.cluster)
        let resource = try ClusterToolset.workload(arguments.kind)
        let namespace = arguments.namespace ?? client.cluster.namespace
        let object = try await client.json(.GET, resource.path(namespace: namespace, object: arguments.name))
        let view = WorkloadView(object: object, kind: resource.kind)
        let selector = WorkloadView.selector(object)
        async let podList = client.list(.pods, namespace: namespace, labelSelector: selector)
        async let history = revisions(client, object: object, kind: resource.kind, namespace: namespace, selector: selector)
        let now = KubeFormat.now()
        let rollout = view.rolloutStatus
        var lines = [
            "\(resource.kind) \(namespace)/\(object.objectName) · \(view.ready)/\(view.desired) ready · \(view.updated) up-to-date · "
                + "\(view.available) available · age \(KubeFormat.age(object.created, now: now))",
            "Rollout: \(rollout.text)",
            "Images: \(view.images.joined(separator: ", "))",
            "Selector: \(selector)",
        ]
        if let strategy = object.at("spec.strategy.type")?.stringValue ?? object.at("spec.updateStrategy.type")?.stringValue {
            lines.append("Strategy: \(strategy)")
        }
        for condition in object.at("status.conditions")?.arrayValue ?? [] {
            lines.append(
                "Condition \(condition["type"]?.stringValue ?? "")=\(condition["status"]?.stringValue ?? "")"
                    + (condition["reason"]?.stringValue.map { " (\($0))" } ?? "") + (condition["message"]?.stringValue.map { ": \($0)" } ?? ""))
        }
        var structured: [String: JSONValue] = view.summary(now: now).objectValue ?? [:]
        structured["cluster"] = .string(client.name)
        structured["rolloutComplete"] = .bool(rollout.done)
        switch await history {
        case .success(let (rows, json)):
            lines.append("Revision history (\(rows.count)):")
            if !rows.isEmpty { lines.append(KubeFormat.table(["REVISION", "NAME", "READY", "AGE", "IMAGES", "CHANGE-CAUSE"], rows)) }
            structured["revisions"] = .array(json)
        case .failure(let error):
            lines.append("Revision history: not available (\(error))")
        }
        do {
            let pods = try await podList.items.map(PodView.init)
            lines.append("Pods (\(pods.count)):")
            if !pods.isEmpty {
                lines.append(
                    KubeFormat.table(
                        ["NAME", "READY", "STATUS", "RESTARTS", "NODE", "PROBLEM"],
                        pods.map { [$0.pod.objectName, $0.ready, $0.status, $0.restartsText(now: now), $0.node, $0.problem(now: now) ?? ""] }))
            }
            structured["pods"] = .array(pods.map { $0.summary(now: now) })
        } catch {
            lines.append("Pods: not available (\(error))")
        }
        return .text(lines.joined(separator: "\n"), structured: .object(structured))
    }

    /// A deployment's ReplicaSets, or a statefulset's or daemonset's ControllerRevisions, newest revision first.
    private func revisions(_ client: KubeClient, object: JSONValue, kind: String, namespace: String, selector: String) async
        -> Result<([[String]], [JSONValue]), any Error>
    {
        guard kind != "ReplicaSet" else { return .success(([], [])) }
        let uid = object["metadata"]?["uid"]?.stringValue
        let owned = { (item: JSONValue) -> Bool in
            (item["metadata"]?["ownerReferences"]?.arrayValue ?? []).contains { $0["uid"]?.stringValue == uid }
        }
        let now = KubeFormat.now()
        do {
            if kind == "Deployment" {
                let sets = try await client.list(.replicaSets, namespace: namespace, labelSelector: selector).items.filter(owned)
                let sorted = sets.map { set in
                    (Int(set["metadata"]?["annotations"]?["deployment.kubernetes.io/revision"]?.stringValue ?? "") ?? 0, set)
                }.sorted { $0.0 > $1.0 }
                let rows = sorted.map { revision, set -> [String] in
                    let view = WorkloadView(object: set, kind: "ReplicaSet")
                    return [
                        "\(revision)", set.objectName, "\(view.ready)/\(view.desired)", KubeFormat.age(set.created, now: now),
                        view.images.joined(separator: ","),
                        set["metadata"]?["annotations"]?["kubernetes.io/change-cause"]?.stringValue ?? "<none>",
                    ]
                }
                let json = zip(sorted, rows).map { pair, row -> JSONValue in
                    ["revision": .int(pair.0), "name": .string(row[1]), "ready": .string(row[2]), "images": .string(row[4]), "changeCause": .string(row[5])]
                }
                return .success((rows, json))
            }
            let revisions = KubeDiscovery.Resource(
                group: "apps", version: "v1", name: "controllerrevisions", kind: "ControllerRevision", namespaced: true)
            let items = try await client.list(revisions, namespace: namespace, labelSelector: selector).items.filter(owned)
                .sorted { ($0["revision"]?.intValue ?? 0) > ($1["revision"]?.intValue ?? 0) }
            let rows = items.map { item -> [String] in
                ["\(item["revision"]?.intValue ?? 0)", item.objectName, "", KubeFormat.age(item.created, now: now), "", ""]
            }
            return .success((rows, items.map { ["revision": .int($0["revision"]?.intValue ?? 0), "name": .string($0.objectName)] }))
        } catch {
            return .failure(error)
        }
    }
}
