import FathomCore
import Foundation
import Testing

@testable import FathomTools

@Suite struct TimeArgumentsTests {
    @Test(arguments: [("30s", 30.0), ("5m", 300), ("1h30m", 5400), ("2d", 172_800), ("1w", 604_800), ("500ms", 0.5), ("90", 90), ("1.5", 1.5)])
    func durationsReadAsPrometheusWritesThem(text: String, seconds: Double) throws {
        #expect(try TimeArguments.duration(text, argument: "d") == seconds)
    }

    @Test(arguments: ["", "5x", "m5", "-5m", "1h-", String(repeating: "9", count: 100)])
    func badDurationsSayWhatIsExpected(text: String) {
        let error = #expect(throws: TimeArguments.Invalid.self) { try TimeArguments.duration(text, argument: "step") }
        #expect(error?.description.hasPrefix("step") == true)
    }

    @Test func timesFromRFC3339UnixAndNowRelative() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(try TimeArguments.time("now", argument: "t", now: now) == now)
        #expect(try TimeArguments.time("now-1h", argument: "t", now: now) == now.addingTimeInterval(-3600))
        #expect(try TimeArguments.time("1795388670.5", argument: "t", now: now).timeIntervalSince1970 == 1_795_388_670.5)
        #expect(try TimeArguments.time("2026-11-22T10:00:00Z", argument: "t", now: now).timeIntervalSince1970 == 1_795_341_600)
        #expect(try TimeArguments.time("2026-11-22T10:00:00.250Z", argument: "t", now: now).timeIntervalSince1970 == 1_795_341_600.25)
        #expect(throws: TimeArguments.Invalid.self) { try TimeArguments.time("yesterday", argument: "t", now: now) }
        #expect(throws: TimeArguments.Invalid.self) {
            try TimeArguments.window(start: "now", end: "now-1h", duration: nil, defaultDuration: 60, now: now)
        }
    }

    @Test func stepIsRaisedToBoundPointsAndRoundedToAReadableValue() {
        #expect(TimeArguments.step(range: 3600, requested: nil, maxPoints: 240) == 15)
        #expect(TimeArguments.step(range: 3600, requested: 1, maxPoints: 240) == 15)
        #expect(TimeArguments.step(range: 3600, requested: 60, maxPoints: 240) == 60)
        #expect(TimeArguments.step(range: 86400 * 30, requested: nil, maxPoints: 240) == 10800)
        #expect(TimeArguments.step(range: 86400 * 365 * 10, requested: nil, maxPoints: 100) == 86400 * 37)
        #expect(TimeArguments.step(range: 10, requested: nil, maxPoints: 240) == 1)
    }
}

@Suite struct PrometheusResultTests {
    func fixture(_ name: String) throws -> JSONValue {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
        return try JSONParser.parse(try Data(contentsOf: url))
    }

    @Test func readsAVectorCapturedFromPrometheus() throws {
        let document = try fixture("prometheus-query-up.json")
        let result = try PrometheusResult(data: try #require(document["data"]))
        #expect(result.resultType == "vector" && result.series.count == 2)
        #expect(result.series[0].selector == #"up{instance="127.0.0.1:19090", job="prometheus"}"#)
        #expect(result.series[0].points == [.init(time: 1_795_365_802.287, value: 1)])
    }

    @Test func readsMatrixScalarAndSpecialValues() throws {
        let matrix: JSONValue = [
            "resultType": "matrix",
            "result": [["metric": ["a": "x\"y"], "values": [[1, "NaN"], [2, "+Inf"], [3, "-Inf"], [4, "2.5"]]]],
        ]
        let result = try PrometheusResult(data: matrix)
        let values = result.series[0].points.map(\.value)
        #expect(values[0].isNaN && values[1] == .infinity && values[2] == -.infinity && values[3] == 2.5)
        #expect(result.series[0].selector == #"{a="x\"y"}"#)
        let scalar = try PrometheusResult(data: ["resultType": "scalar", "result": [1, "42"]])
        #expect(scalar.series == [.init(labels: [:], points: [.init(time: 1, value: 42)])])
    }

    @Test(arguments: [
        JSONValue.object([:]),
        ["resultType": "vector", "result": "nope"],
        ["resultType": "vector", "result": [["metric": [:], "value": [1, 2]]]],
        ["resultType": "matrix", "result": [["metric": [:], "values": [[1]]]]],
        ["resultType": "weird", "result": []],
    ])
    func malformedResultsAreRefusedWithAReason(data: JSONValue) {
        #expect(throws: PrometheusResultError.self) { try PrometheusResult(data: data) }
    }
}

@Suite struct SeriesSummaryTests {
    func series(_ name: String, _ values: [Double]) -> PrometheusResult.Series {
        .init(labels: ["__name__": "m", "pod": name], points: values.enumerated().map { .init(time: Double($0.offset), value: $0.element) })
    }

    @Test func statisticsIgnoreNaN() {
        let summary = SeriesSummary(series("a", [1, .nan, 3, 2]))
        #expect(summary.min == 1 && summary.max == 3 && summary.avg == 2 && summary.last == 2 && summary.points == 3)
        #expect(SeriesSummary(series("b", [.nan])).max.isNaN)
    }

    @Test func rankingPutsTheHighestFirstNaNLastAndBreaksTiesByName() {
        let ranked = SeriesSummary.ranked(
            [series("c", [5]), series("nan", [.nan]), series("b", [9]), series("a", [9])].map { SeriesSummary($0) }, by: .max)
        #expect(ranked.map { $0.labels["pod"] } == ["a", "b", "c", "nan"])
        let ascending = SeriesSummary.ranked([series("x", [5]), series("y", [1])].map { SeriesSummary($0) }, by: .last, ascending: true)
        #expect(ascending.map { $0.labels["pod"] } == ["y", "x"])
    }

    @Test func numbersAreShortAndJSONSafe() {
        #expect(SeriesSummary.format(1) == "1" && SeriesSummary.format(0.1234567) == "0.123457" && SeriesSummary.format(2.5) == "2.5")
        #expect(SeriesSummary.format(.nan) == "NaN" && SeriesSummary.format(-.infinity) == "-Inf")
        #expect(SeriesSummary.format(12345.678) == "12345.7" && SeriesSummary.format(1234567.8) == "1234568")
        #expect(SeriesSummary.format(-0.000123456789) == "-0.000123457" && SeriesSummary.format(98.76543) == "98.7654")
        #expect(SeriesSummary.number(.infinity) == .string("+Inf") && SeriesSummary.number(1.5) == .double(1.5))
        #expect(SeriesSummary.exact(10256.96) == "10256.96" && SeriesSummary.exact(0.1234567891) == "0.1234567891" && SeriesSummary.exact(3) == "3")
    }
}

@Suite struct ResultCursorsTests {
    @Test func pagesThroughAStoredResult() throws {
        let cursors = ResultCursors()
        let id = cursors.store((0..<25).map { .int($0) }, bytes: 100)
        let first = try #require(cursors.page(id, offset: 0, limit: 10))
        #expect(first.items.count == 10 && first.total == 25 && first.next == 10)
        let last = try #require(cursors.page(id, offset: 20, limit: 10))
        #expect(last.items == (20..<25).map { .int($0) } && last.next == nil)
        #expect(cursors.page(id, offset: 99, limit: 10)?.items.isEmpty == true)
        #expect(cursors.page("c000000000000000000000000", offset: 0, limit: 1) == nil)
    }

    @Test func theOldestGoFirstWhenEntriesOrBytesRunOut() {
        let cursors = ResultCursors(maxEntries: 2, maxBytes: 1000)
        let a = cursors.store([1], bytes: 10)
        let b = cursors.store([2], bytes: 10)
        let c = cursors.store([3], bytes: 10)
        #expect(cursors.page(a, offset: 0, limit: 1) == nil && cursors.page(b, offset: 0, limit: 1) != nil)
        let big = cursors.store([4], bytes: 995)
        #expect(cursors.page(c, offset: 0, limit: 1) == nil && cursors.page(big, offset: 0, limit: 1) != nil)
    }

    @Test func expiredCursorsAreGone() {
        let cursors = ResultCursors(lifetime: .zero)
        let id = cursors.store([1], bytes: 1)
        #expect(cursors.page(id, offset: 0, limit: 1) == nil)
    }
}

@Suite struct EndpointClientTests {
    @Test func formEncodingEscapesEverythingButUnreservedBytes() {
        #expect(EndpointClient.formEncode([("query", #"up{job="a b"}"#), ("match[]", "ü")]) == "query=up%7Bjob%3D%22a%20b%22%7D&match%5B%5D=%C3%BC")
    }

    @Test func tlsReasonsAreSaidPlainly() {
        #expect(EndpointClient.tlsReason("x OPENSSL_internal:CERTIFICATE_VERIFY_FAILED at y").contains("not signed by a trusted CA"))
        #expect(EndpointClient.tlsReason("x OPENSSL_internal:SSLV3_ALERT_BAD_CERTIFICATE at y").contains("client certificate"))
        #expect(EndpointClient.tlsReason("x OPENSSL_internal:SOMETHING_ELSE at y") == "SOMETHING_ELSE")
    }

    @Test func aBearerTokenFileIsReadAgainWhenItChanges() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("token-\(UUID().uuidString)").path
        try "first-token\n".write(toFile: path, atomically: true, encoding: .utf8)
        let credentials = EndpointCredentials(.bearerFile(path), kind: "prometheus", name: "p", tls: nil)
        #expect(try await credentials.current().authorization == "Bearer first-token")
        try "rotated-token-longer\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try await credentials.current().authorization == "Bearer rotated-token-longer")
        try FileManager.default.removeItem(atPath: path)
        await #expect(throws: EndpointError.self) { try await credentials.current() }
    }
}

@Suite struct AnomalyDetectorTests {
    /// A steady series with a little deterministic noise.
    func series(_ count: Int, base: Double = 10, change: (Int) -> Double = { _ in 0 }) -> [PrometheusResult.Point] {
        (0..<count).map { i in .init(time: Double(1000 + i * 15), value: base + Double((i * 7) % 5) * 0.1 + change(i)) }
    }

    @Test func aSpikeIsOneWindowWithItsPeak() {
        let points = series(100) { (40...42).contains($0) ? 50 : 0 }
        let findings = AnomalyDetector().analyze(points)
        #expect(findings.windows.count == 1)
        let window = findings.windows[0]
        #expect(window.direction == "spike" && window.points == 3 && window.peak > 59 && window.score > 10)
        #expect(window.start == Double(1000 + 40 * 15) && window.end == Double(1000 + 42 * 15))
    }

    @Test func aDipIsReportedAsADip() {
        let findings = AnomalyDetector().analyze(series(60) { $0 == 30 ? -9 : 0 })
        #expect(findings.windows.map(\.direction) == ["dip"])
    }

    @Test func aLevelShiftIsAChangePointAtTheStep() {
        let findings = AnomalyDetector().analyze(series(120) { $0 >= 80 ? 20 : 0 })
        let change = findings.changePoints.first
        #expect(findings.changePoints.count == 1)
        #expect(change?.time == Double(1000 + 80 * 15))
        #expect(abs((change?.before ?? 0) - 10.2) < 0.2 && abs((change?.after ?? 0) - 30.2) < 0.2)
    }

    @Test func noiseAloneFindsNothing() {
        let findings = AnomalyDetector().analyze(series(240))
        #expect(findings.windows.isEmpty && findings.changePoints.isEmpty)
    }

    @Test func aConstantSeriesWithOneOutlierStillScores() {
        var points = (0..<50).map { PrometheusResult.Point(time: Double($0), value: 5) }
        points[25].value = 6
        let findings = AnomalyDetector().analyze(points)
        #expect(findings.mad == 0 && findings.windows.count == 1 && findings.windows[0].peak == 6)
    }

    @Test func nanAndShortSeriesAreHandled() {
        var points = series(30) { $0 == 10 ? 40 : 0 }
        points[5].value = .nan
        #expect(AnomalyDetector().analyze(points).windows.count == 1)
        #expect(AnomalyDetector().analyze(Array(points.prefix(2))).windows.isEmpty)
        #expect(AnomalyDetector().analyze([]).changePoints.isEmpty)
    }
}
