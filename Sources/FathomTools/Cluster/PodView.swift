import FathomCore

/// A pod as `kubectl get pods` shows it (STATUS computed the way kubectl's printer does), plus what
/// makes it unhealthy.
struct PodView {
    let pod: JSONValue
    let status: String
    let readyContainers: Int
    let totalContainers: Int
    let restarts: Int
    /// The newest container termination: when, and why (`OOMKilled`, `Error`, exit code).
    let lastTermination: (time: Double, reason: String, exitCode: Int)?

    init(_ pod: JSONValue) {
        self.pod = pod
        let podStatus = pod["status"]
        var reason = podStatus?["reason"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? podStatus?["phase"]?.stringValue ?? "Unknown"
        var restarts = 0
        var ready = 0
        var last: (time: Double, reason: String, exitCode: Int)?
        var initializing = false
        let initSpecs = pod["spec"]?["initContainers"]?.arrayValue ?? []
        for (index, container) in (podStatus?["initContainerStatuses"]?.arrayValue ?? []).enumerated() {
            restarts += container["restartCount"]?.intValue ?? 0
            let state = container["state"]
            if let terminated = state?["terminated"], terminated["exitCode"]?.intValue == 0 { continue }
            if container["started"]?.boolValue == true, initSpecs.indices.contains(index),
                initSpecs[index]["restartPolicy"]?.stringValue == "Always"
            {
                continue  // a sidecar that is running
            }
            if let terminated = state?["terminated"] {
                reason = "Init:" + Self.terminationReason(terminated)
            } else if let waiting = state?["waiting"]?["reason"]?.stringValue, !waiting.isEmpty, waiting != "PodInitializing" {
                reason = "Init:" + waiting
            } else {
                reason = "Init:\(index)/\(initSpecs.count)"
            }
            initializing = true
            break
        }
        if !initializing {
            restarts = 0
            var hasRunning = false
            for container in (podStatus?["containerStatuses"]?.arrayValue ?? []).reversed() {
                restarts += container["restartCount"]?.intValue ?? 0
                let state = container["state"]
                if let waiting = state?["waiting"]?["reason"]?.stringValue, !waiting.isEmpty {
                    reason = waiting
                } else if let terminated = state?["terminated"] {
                    reason = Self.terminationReason(terminated)
                } else if container["ready"]?.boolValue == true, state?["running"] != nil {
                    hasRunning = true
                    ready += 1
                }
                for terminated in [state?["terminated"], container["lastState"]?["terminated"]].compactMap({ $0 }) {
                    if let finished = KubeFormat.time(terminated["finishedAt"]?.stringValue), finished > (last?.time ?? -.infinity) {
                        last = (finished, terminated["reason"]?.stringValue ?? "", terminated["exitCode"]?.intValue ?? 0)
                    }
                }
            }
            if reason == "Completed" && hasRunning {
                let podReady = (podStatus?["conditions"]?.arrayValue ?? []).contains {
                    $0["type"]?.stringValue == "Ready" && $0["status"]?.stringValue == "True"
                }
                reason = podReady ? "Running" : "NotReady"
            }
        }
        if pod["metadata"]?["deletionTimestamp"] != nil {
            reason = podStatus?["reason"]?.stringValue == "NodeLost" ? "Unknown" : "Terminating"
        }
        self.status = reason
        self.readyContainers = ready
        self.totalContainers = pod["spec"]?["containers"]?.arrayValue?.count ?? 0
        self.restarts = restarts
        self.lastTermination = last
    }

    static func terminationReason(_ terminated: JSONValue) -> String {
        if let reason = terminated["reason"]?.stringValue, !reason.isEmpty { return reason }
        if let signal = terminated["signal"]?.intValue, signal != 0 { return "Signal:\(signal)" }
        return "ExitCode:\(terminated["exitCode"]?.intValue ?? 0)"
    }

    var ready: String { "\(readyContainers)/\(totalContainers)" }
    var node: String { pod["spec"]?["nodeName"]?.stringValue ?? "<none>" }

    /// `7 (2m ago)` as kubectl prints restarts.
    func restartsText(now: Double) -> String {
        guard restarts > 0, let last = lastTermination else { return "\(restarts)" }
        return "\(restarts) (\(KubeFormat.duration(now - last.time)) ago)"
    }

    /// Why the pod needs a look, or nil: not running, not ready, or a container that died in the last hour.
    func problem(now: Double) -> String? {
        let phase = pod["status"]?["phase"]?.stringValue
        if phase == "Succeeded" || status == "Completed" { return nil }
        if status != "Running" { return status }
        if readyContainers < totalContainers {
            return "not ready (\(ready))"
        }
        if let last = lastTermination, now - last.time < 3600, last.exitCode != 0 || last.reason == "OOMKilled" {
            return "restarted \(KubeFormat.duration(now - last.time)) ago: \(last.reason.isEmpty ? "exit code \(last.exitCode)" : last.reason)"
                + (last.exitCode != 0 ? " (exit code \(last.exitCode))" : "")
        }
        return nil
    }

    func summary(now: Double) -> JSONValue {
        var object: [String: JSONValue] = [
            "name": .string(pod.objectName), "status": .string(status), "ready": .string(ready), "restarts": .int(restarts),
            "node": .string(node), "age": .string(KubeFormat.age(pod.created, now: now)),
        ]
        if let namespace = pod.objectNamespace { object["namespace"] = .string(namespace) }
        if let problem = problem(now: now) { object["problem"] = .string(problem) }
        return .object(object)
    }
}
