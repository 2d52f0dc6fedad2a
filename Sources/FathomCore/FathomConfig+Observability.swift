extension FathomConfig {
    /// Prometheus, Alertmanager, Loki and Tempo endpoints (`tools/observability.yaml`).
    public struct ObservabilitySettings: Sendable, Equatable {
        public var prometheus: [Endpoint] = []
        public var alertmanager: [Endpoint] = []
        public var loki: [Endpoint] = []
        public var tempo: [Endpoint] = []
        /// Named groups of clusters, for federated queries: `prod: [prod-eu, prod-us]`.
        public var clusterGroups: [String: [String]] = [:]
        /// Series shown in a query summary; the rest stay behind a cursor.
        public var maxSeries = 20
        /// A range query's step is chosen so that no series has more points than this.
        public var maxPoints = 240
        /// The largest response body read from an endpoint.
        public var maxResponseBytes = 64 * 1024 * 1024
        public init() {}

        /// Every endpoint, with its kind, in configuration order.
        public var all: [(kind: String, endpoint: Endpoint)] {
            prometheus.map { ("prometheus", $0) } + alertmanager.map { ("alertmanager", $0) }
                + loki.map { ("loki", $0) } + tempo.map { ("tempo", $0) }
        }
    }

    /// One HTTP API Fathom reads: where it is, which cluster it watches, and how to authenticate.
    public struct Endpoint: Sendable, Equatable {
        public var name: String
        /// The base URL, e.g. `https://prometheus.example.com` or `http://127.0.0.1:9090/prometheus`.
        public var url: String
        /// The cluster the endpoint watches, for multi-cluster queries.
        public var cluster: String?
        public var timeoutSeconds: Double = 10
        public var auth: EndpointAuth = .none
        public var tls = TLSSettings()
        /// Extra request headers, e.g. `X-Scope-OrgID` for a Loki or Tempo tenant.
        public var headers: [String: String] = [:]

        public init(name: String, url: String) {
            self.name = name
            self.url = url
        }
    }

    public enum EndpointAuth: Sendable, Equatable, CustomStringConvertible {
        case none
        case basic(username: String, password: String)
        case bearer(String)
        /// A token file that is re-read when it changes (a rotated Kubernetes ServiceAccount token).
        case bearerFile(String)
        /// A kubeconfig exec credential plugin, run for a token or a client certificate.
        case exec(ExecPlugin)

        /// Never prints a secret.
        public var description: String {
            switch self {
            case .none: "none"
            case .basic(let username, _): "basic (\(username))"
            case .bearer: "bearer token"
            case .bearerFile(let path): "bearer token from \(path)"
            case .exec(let plugin): "exec plugin \(plugin.command)"
            }
        }
    }

    /// A kubeconfig `users[].user.exec`: a command that prints an `ExecCredential`.
    public struct ExecPlugin: Sendable, Equatable {
        public var command: String
        public var arguments: [String] = []
        /// Added to Fathom's own environment.
        public var environment: [String: String] = [:]
        /// `client.authentication.k8s.io/v1` or `v1beta1`.
        public var apiVersion: String
        /// The kubeconfig's hint for when the command is missing.
        public var installHint: String?

        public init(command: String, apiVersion: String) {
            self.command = command
            self.apiVersion = apiVersion
        }
    }

    /// TLS for an outbound connection: a custom CA, a client certificate (mTLS), or no verification.
    /// Each of CA, certificate and key comes from a file or inline PEM (a kubeconfig's `*-data`).
    public struct TLSSettings: Sendable, Equatable {
        public var caFile: String?
        public var certificateFile: String?
        public var keyFile: String?
        public var caPEM: [UInt8]?
        public var certificatePEM: [UInt8]?
        public var keyPEM: [UInt8]?
        /// Accept any server certificate. Logged as a warning; for test setups only.
        public var insecureSkipVerify = false
        public init() {}

        public var isDefault: Bool { self == TLSSettings() }
    }
}
