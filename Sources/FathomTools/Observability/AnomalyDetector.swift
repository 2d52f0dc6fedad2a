import Foundation

/// Finds what is unusual in one series, without a model: points far from the median by a robust
/// z-score (median and MAD, so the outliers themselves do not hide), grouped into windows, and level
/// shifts found by binary segmentation. Pure: no I/O, no clock.
public struct AnomalyDetector: Sendable {
    public struct Window: Sendable, Equatable {
        public var start: Double
        public var end: Double
        public var peak: Double
        public var score: Double
        /// `spike` (above normal) or `dip`.
        public var direction: String
        public var points: Int
    }

    public struct ChangePoint: Sendable, Equatable {
        public var time: Double
        public var before: Double
        public var after: Double
        /// The shift in units of the segments' own standard deviation.
        public var score: Double
    }

    public struct Findings: Sendable, Equatable {
        public var median: Double
        public var mad: Double
        public var windows: [Window]
        public var changePoints: [ChangePoint]

        /// The strongest finding, for ranking series.
        public var strength: Double {
            max(windows.map { abs($0.score) }.max() ?? 0, changePoints.map(\.score).max() ?? 0)
        }
    }

    /// |robust z| at or above this marks a point (3.5 is Iglewicz and Hoaglin's usual cut).
    public var threshold = 3.5
    /// A level shift of at least this many within-segment standard deviations is reported.
    public var changeThreshold = 3.0
    /// Neither side of a change point may be shorter than this.
    public var minimumSegment = 5
    public var maxChangePoints = 3

    public init(threshold: Double = 3.5, changeThreshold: Double = 3.0) {
        self.threshold = threshold
        self.changeThreshold = changeThreshold
    }

    public func analyze(_ points: [PrometheusResult.Point]) -> Findings {
        let clean = points.filter { $0.value.isFinite }
        guard clean.count >= 3 else { return Findings(median: clean.first?.value ?? .nan, mad: 0, windows: [], changePoints: []) }
        let values = clean.map(\.value)
        let median = Self.median(values)
        let mad = Self.median(values.map { abs($0 - median) })
        // With more than half the points equal, MAD is 0; the mean absolute deviation still measures spread.
        let meanDeviation = values.reduce(0) { $0 + abs($1 - median) } / Double(values.count)
        let scale = mad > 0 ? mad / 0.6745 : meanDeviation * 1.2533
        var windows: [Window] = []
        if scale > 0 {
            var current: Window?
            for point in clean {
                let z = (point.value - median) / scale
                guard abs(z) >= threshold else {
                    if let open = current { windows.append(open) }
                    current = nil
                    continue
                }
                let direction = z > 0 ? "spike" : "dip"
                if var open = current, open.direction == direction {
                    open.end = point.time
                    open.points += 1
                    if abs(z) > abs(open.score) {
                        open.peak = point.value
                        open.score = z
                    }
                    current = open
                } else {
                    if let open = current { windows.append(open) }
                    current = Window(start: point.time, end: point.time, peak: point.value, score: z, direction: direction, points: 1)
                }
            }
            if let open = current { windows.append(open) }
        }
        var changes: [ChangePoint] = []
        segment(clean, range: 0..<clean.count, into: &changes)
        changes.sort { $0.time < $1.time }
        return Findings(median: median, mad: mad, windows: windows, changePoints: changes)
    }

    /// Binary segmentation: the best split of `range`, if strong enough, then the best splits of each side.
    private func segment(_ points: [PrometheusResult.Point], range: Range<Int>, into changes: inout [ChangePoint]) {
        guard changes.count < maxChangePoints, range.count >= 2 * minimumSegment else { return }
        var sum = [0.0]
        var squares = [0.0]
        for index in range {
            sum.append(sum[sum.count - 1] + points[index].value)
            squares.append(squares[squares.count - 1] + points[index].value * points[index].value)
        }
        let n = range.count
        var best: (split: Int, score: Double, left: Double, right: Double)?
        for k in minimumSegment...(n - minimumSegment) {
            let leftMean = sum[k] / Double(k)
            let rightMean = (sum[n] - sum[k]) / Double(n - k)
            let leftSquares = squares[k] - Double(k) * leftMean * leftMean
            let rightSquares = (squares[n] - squares[k]) - Double(n - k) * rightMean * rightMean
            let pooled = ((max(leftSquares, 0) + max(rightSquares, 0)) / Double(n - 2)).squareRoot()
            let shift = abs(leftMean - rightMean)
            // A perfectly flat series on each side has no spread: any shift then counts as strong.
            let score = pooled > 1e-12 ? shift / pooled : (shift > 1e-12 ? Double.infinity : 0)
            if score > (best?.score ?? 0) { best = (k, score, leftMean, rightMean) }
        }
        guard let best, best.score >= changeThreshold else { return }
        let index = range.lowerBound + best.split
        changes.append(ChangePoint(time: points[index].time, before: best.left, after: best.right, score: min(best.score, 1e6)))
        segment(points, range: range.lowerBound..<index, into: &changes)
        segment(points, range: index..<range.upperBound, into: &changes)
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
