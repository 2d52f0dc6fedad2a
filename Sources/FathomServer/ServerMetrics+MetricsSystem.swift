import Metrics
import Prometheus

extension ServerMetrics {
    /// Sends swift-metrics (what libraries record) to this registry too. Once per process.
    public func bootstrapMetricsSystem() {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }
}
