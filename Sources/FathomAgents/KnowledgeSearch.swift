import FathomCore
import FathomTools
import Foundation

/// Ranked search over runbooks and documents: each file split into sections (Markdown headings, or 40-line blocks),
/// scored with BM25, headings counted twice. Files are read at query time, bounded in count and size, and the
/// filesystem deny list (`.env*`, keys, …) applies.
struct KnowledgeSearch: Sendable {
    static let maxFiles = 5000
    static let maxFileBytes = 1024 * 1024

    struct Hit: Sendable, Equatable {
        /// Relative to the home folder.
        var path: String
        var line: Int
        var heading: String
        var snippet: String
        var score: Double
    }

    struct Section {
        var path: String
        var line: Int
        var heading: String
        var lines: [Substring]
        var terms: [String: Int]
        var length: Int
    }

    let home: String
    let denied: [GlobPattern]

    init(home: String, denied: [String]) {
        self.home = home
        self.denied = denied.map(GlobPattern.init)
    }

    func search(_ question: String, sources: [String], limit: Int = 5) -> [Hit] {
        let query = Set(Self.terms(question))
        guard !query.isEmpty else { return [] }
        let sections = files(matching: sources).flatMap(Self.sections)
        guard !sections.isEmpty else { return [] }
        var documentFrequency: [String: Int] = [:]
        for section in sections {
            for term in query where section.terms[term] != nil { documentFrequency[term, default: 0] += 1 }
        }
        let count = Double(sections.count)
        let averageLength = Double(sections.reduce(0) { $0 + $1.length }) / count
        let scored = sections.compactMap { section -> Hit? in
            var score = 0.0
            for term in query {
                guard let frequency = section.terms[term].map(Double.init), let df = documentFrequency[term].map(Double.init) else { continue }
                let idf = log(1 + (count - df + 0.5) / (df + 0.5))
                score += idf * frequency * 2.2 / (frequency + 1.2 * (0.25 + 0.75 * Double(section.length) / max(averageLength, 1)))
            }
            guard score > 0 else { return nil }
            return Hit(path: section.path, line: section.line, heading: section.heading, snippet: Self.snippet(section, query: query), score: score)
        }
        return Array(scored.sorted { $0.score != $1.score ? $0.score > $1.score : ($0.path, $0.line) < ($1.path, $1.line) }.prefix(limit))
    }

    /// Files under `home` matching any glob, in path order, skipping denied ones.
    private func files(matching globs: [String]) -> [(path: String, text: String)] {
        var found: [String: String] = [:]
        for glob in globs {
            let pattern = GlobPattern(glob)
            // Walk from the part of the glob before its first wildcard.
            let fixed = glob.split(separator: "/").prefix { !$0.contains(where: { "*?[".contains($0) }) }.joined(separator: "/")
            let base = fixed == glob ? (glob as NSString).deletingLastPathComponent : fixed
            let root = (home as NSString).appendingPathComponent(base)
            guard let walker = FileManager.default.enumerator(atPath: root) else { continue }
            while let entry = walker.nextObject() as? String, found.count < Self.maxFiles {
                // Hidden folders (.git, .build, .venv) hold copies and caches, not the team's documents.
                if (entry as NSString).lastPathComponent.hasPrefix(".") {
                    walker.skipDescendants()
                    continue
                }
                let relative = base.isEmpty ? entry : base + "/" + entry
                // The whole relative path must match: `README.md` is the top-level file, not every README below.
                guard pattern.matches(name: relative), !denied.contains(where: { $0.matches(path: relative) }) else { continue }
                let path = (root as NSString).appendingPathComponent(entry)
                guard let handle = FileHandle(forReadingAtPath: path) else { continue }
                defer { try? handle.close() }
                guard let data = try? handle.read(upToCount: Self.maxFileBytes), !data.contains(0) else { continue }
                found[relative] = String(decoding: data, as: UTF8.self)
            }
        }
        return found.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    static func sections(of file: (path: String, text: String)) -> [Section] {
        let lines = file.text.split(separator: "\n", omittingEmptySubsequences: false)
        let markdown = file.path.hasSuffix(".md") || file.path.hasSuffix(".markdown")
        var sections: [Section] = []
        var start = 0
        var heading = (file.path as NSString).lastPathComponent
        func close(_ end: Int) {
            guard end > start else { return }
            let body = Array(lines[start..<end])
            var terms: [String: Int] = [:]
            for term in Self.terms(body.joined(separator: "\n")) + Self.terms(heading) { terms[term, default: 0] += 1 }
            if !terms.isEmpty {
                sections.append(Section(path: file.path, line: start + 1, heading: heading, lines: body, terms: terms, length: terms.values.reduce(0, +)))
            }
        }
        for (index, line) in lines.enumerated() {
            let isHeading = markdown && line.hasPrefix("#")
            if isHeading || (!markdown && index - start >= 40) {
                close(index)
                start = index
                if isHeading { heading = line.drop { $0 == "#" || $0 == " " }.description }
            }
        }
        close(lines.count)
        return sections
    }

    /// The line with the most query terms, with the one after it, cut to 300 bytes.
    static func snippet(_ section: Section, query: Set<String>) -> String {
        var best = 0
        var bestHits = -1
        for (index, line) in section.lines.enumerated() where !line.hasPrefix("#") {
            let hits = terms(String(line)).filter(query.contains).count
            if hits > bestHits { (best, bestHits) = (index, hits) }
        }
        let text = section.lines[best..<min(section.lines.count, best + 2)].joined(separator: " ").trimmingCharacters(in: .whitespaces)
        return TextLimit.clip(text, maxBytes: 300)
    }

    private static let stopwords: Set<String> = [
        "the", "and", "for", "are", "was", "what", "why", "how", "who", "which", "when", "where", "with", "this", "that", "from",
        "into", "does", "did", "can", "not", "any", "all", "our", "your", "you", "there", "their", "then", "than", "has", "have",
        "had", "its", "about", "should", "would", "could", "will", "way", "get", "got",
    ]

    /// Lower-cased words without stopwords, a plural `s` dropped; words under three letters are dropped unless kept.
    static func terms(_ text: String, keepShort: Bool = false) -> [String] {
        text.lowercased().split { !$0.isLetter && !$0.isNumber }.compactMap { word in
            guard keepShort || word.count >= 3, !stopwords.contains(String(word)) else { return nil }
            return stem(String(word))
        }
    }

    static func stem(_ word: String) -> String {
        word.count > 3 && word.hasSuffix("s") && !word.hasSuffix("ss") ? String(word.dropLast()) : word
    }
}
