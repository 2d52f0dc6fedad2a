import FathomCore
import Foundation
import Testing

@testable import FathomTools

@Suite struct ClusterPureTests {
    @Test func timesParseWithoutFoundation() throws {
        #expect(KubeFormat.time("1970-01-01T00:00:00Z") == 0)
        // Expected values from Python's calendar.timegm.
        #expect(KubeFormat.time("2026-11-23T01:47:28Z") == 1_795_398_448)
        #expect(KubeFormat.time("2026-11-23T01:47:28.250000Z") == 1_795_398_448.25)
        #expect(KubeFormat.time("2026-11-23T02:47:28+01:00") == 1_795_398_448)
        #expect(KubeFormat.time("2024-02-29T12:00:00Z") == 1_709_208_000)
        for bad in ["", "yesterday", "2026-11-23", "2026-1x-23T01:47:28Z"] { #expect(KubeFormat.time(bad) == nil) }
    }

    @Test func agesReadAsKubectlPrintsThem() {
        let cases: [(Double, String)] = [
            (-5, "<invalid>"), (0, "0s"), (45, "45s"), (119, "119s"), (192, "3m12s"), (300, "5m"), (900, "15m"), (3 * 3600 + 600, "3h10m"),
            (5 * 3600, "5h"), (30 * 3600, "30h"), (50 * 3600, "2d2h"), (3 * 86400, "3d"), (30 * 86400, "30d"), (800 * 86400, "2y70d"),
            (3000 * 86400, "8y"),
        ]
        for (seconds, text) in cases { #expect(KubeFormat.duration(seconds) == text, "\(seconds)") }
    }

    @Test func quantities() {
        #expect(KubeFormat.quantity("100m") == 0.1 && KubeFormat.quantity("2") == 2 && KubeFormat.quantity("128Mi") == 134_217_728)
        #expect(KubeFormat.quantity("1G") == 1e9 && KubeFormat.quantity("1e3") == 1000 && KubeFormat.quantity("abc") == nil)
        #expect(KubeFormat.cpu(0.6) == "600m" && KubeFormat.cpu(4) == "4" && KubeFormat.bytes(134_217_728) == "128Mi")
    }

    func pod(_ status: String, spec: String = #"{"containers": [{"name": "a"}]}"#, metadata: String = #"{"name": "p"}"#) throws -> JSONValue {
        try JSONParser.parse(#"{"metadata": \#(metadata), "spec": \#(spec), "status": \#(status)}"#)
    }

    @Test func podStatusIsKubectls() throws {
        let crash = PodView(try pod(#"{"phase": "Running", "containerStatuses": [{"name": "a", "restartCount": 7, "ready": false, "state": {"waiting": {"reason": "CrashLoopBackOff"}}, "lastState": {"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": "2026-11-23T01:00:00Z"}}}]}"#))
        #expect(crash.status == "CrashLoopBackOff" && crash.ready == "0/1" && crash.restarts == 7)
        #expect(crash.restartsText(now: KubeFormat.time("2026-11-23T01:02:00Z")!) == "7 (2m ago)")
        #expect(crash.problem(now: 0) == "CrashLoopBackOff")

        let oom = PodView(try pod(#"{"phase": "Running", "containerStatuses": [{"name": "a", "restartCount": 3, "ready": true, "state": {"running": {}}, "lastState": {"terminated": {"exitCode": 137, "reason": "OOMKilled", "finishedAt": "2026-11-23T01:00:00Z"}}}]}"#))
        let now = KubeFormat.time("2026-11-23T01:04:00Z")!
        #expect(oom.status == "Running" && oom.problem(now: now) == "restarted 4m ago: OOMKilled (exit code 137)")
        #expect(oom.problem(now: now + 7200) == nil, "an old restart is history, not a problem")

        let initializing = PodView(try pod(
            #"{"phase": "Pending", "initContainerStatuses": [{"name": "i", "restartCount": 0, "state": {"waiting": {"reason": "PodInitializing"}}}]}"#,
            spec: #"{"initContainers": [{"name": "i"}, {"name": "j"}], "containers": [{"name": "a"}]}"#))
        #expect(initializing.status == "Init:0/2")
        let failedInit = PodView(try pod(#"{"phase": "Pending", "initContainerStatuses": [{"name": "i", "state": {"terminated": {"exitCode": 2}}}]}"#,
            spec: #"{"initContainers": [{"name": "i"}], "containers": [{"name": "a"}]}"#))
        #expect(failedInit.status == "Init:ExitCode:2")
        let terminating = PodView(try pod(#"{"phase": "Running"}"#, metadata: #"{"name": "p", "deletionTimestamp": "2026-11-23T01:00:00Z"}"#))
        #expect(terminating.status == "Terminating")
        let evicted = PodView(try pod(#"{"phase": "Failed", "reason": "Evicted"}"#))
        #expect(evicted.status == "Evicted" && evicted.problem(now: 0) == "Evicted")
        let done = PodView(try pod(#"{"phase": "Succeeded", "containerStatuses": [{"name": "a", "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}]}"#))
        #expect(done.status == "Completed" && done.problem(now: 0) == nil)
    }

    @Test func logLevelsFromTheUsualSpellings() {
        let cases: [(String, LogLevel?)] = [
            ("2026-11-23 ERROR payment gateway timeout", .error), (#"{"level":"warn","msg":"slow"}"#, .warn), ("level=info msg=ok", .info),
            ("E1123 10:00:00.000000 1 main.go:12] boom", .error), ("W1123 10:00:00 slow", .warn), ("[debug] cache miss", .debug),
            ("FATAL: out of memory", .error), ("panic: runtime error", .error), ("GET /healthz 200", nil), ("errors=0 informational", nil),
        ]
        for (line, level) in cases { #expect(LogLevel.of(Substring(line)) == level, "\(line)") }
    }

    @Test func secretsAreMaskedButNamesOfThingsStay() throws {
        #expect(ClusterRedaction.env(["name": "DB_PASSWORD", "value": "hunter2"]) == "DB_PASSWORD=\(Redactor.mask)")
        #expect(ClusterRedaction.env(["name": "DATABASE_URL", "value": "postgres://app:s3cret@db:5432/app"]).contains("s3cret") == false)
        #expect(ClusterRedaction.env(["name": "REGION", "value": "eu-west-1"]) == "REGION=eu-west-1")
        #expect(ClusterRedaction.env(["name": "API_KEY", "valueFrom": ["secretKeyRef": ["name": "creds", "key": "api-key"]]]) == "API_KEY from secret creds/api-key")
        let secret = ClusterRedaction.object(try JSONParser.parse(
            #"{"kind": "Secret", "metadata": {"name": "s", "managedFields": [{}], "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{\"data\":{\"k\":\"djE=\"}}"}}, "data": {"k": "djE="}}"#))
        #expect(secret["data"]?["k"]?.stringValue == "\(Redactor.mask) (4 bytes)")
        #expect(secret["metadata"]?["managedFields"] == nil && secret["metadata"]?["annotations"]?.objectValue?.isEmpty == true)
        let deployment = ClusterRedaction.object(try JSONParser.parse(
            #"{"kind": "Deployment", "spec": {"template": {"spec": {"automountServiceAccountToken": true, "volumes": [{"secret": {"secretName": "tls"}}], "containers": [{"env": [{"name": "TOKEN", "value": "abc"}, {"name": "MODE", "value": "fast"}], "args": ["--password=letmein"]}]}}}}"#))
        let podSpec = deployment["spec"]?["template"]?["spec"]
        #expect(podSpec?["volumes"]?.arrayValue?.first?["secret"]?["secretName"]?.stringValue == "tls")
        #expect(podSpec?["automountServiceAccountToken"]?.boolValue == true)
        let container = podSpec?["containers"]?.arrayValue?.first
        #expect(container?["env"]?.arrayValue?.map { $0["value"]?.stringValue } == [Redactor.mask, "fast"])
        #expect(container?["args"]?.arrayValue?.first?.stringValue?.contains("letmein") == false)
    }

    @Test func execCredentialsAreParsedAndChecked() throws {
        let plugin = FathomConfig.ExecPlugin(command: "p", apiVersion: "client.authentication.k8s.io/v1")
        let token = try ExecCredentialPlugin.parse(
            Data(#"{"kind":"ExecCredential","status":{"token":"t","expirationTimestamp":"2030-01-01T00:00:00Z"}}"#.utf8), plugin: plugin)
        #expect(token.token == "t" && token.expires == Date(timeIntervalSince1970: 1_893_456_000))
        let certificate = try ExecCredentialPlugin.parse(
            Data(#"{"kind":"ExecCredential","status":{"clientCertificateData":"C","clientKeyData":"K"}}"#.utf8), plugin: plugin)
        #expect(certificate.certificatePEM == Array("C".utf8) && certificate.token == nil && certificate.expires == nil)
        for bad in ["not json", #"{"kind":"Other"}"#, #"{"kind":"ExecCredential"}"#, #"{"kind":"ExecCredential","status":{}}"#,
            #"{"kind":"ExecCredential","status":{"token":"t","expirationTimestamp":"soon"}}"#]
        {
            #expect(throws: ExecCredentialPlugin.Failure.self) { try ExecCredentialPlugin.parse(Data(bad.utf8), plugin: plugin) }
        }
    }
}
