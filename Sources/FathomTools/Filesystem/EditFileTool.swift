import FathomCore
import Foundation

struct EditFileTool: Tool {
    struct Edit: Decodable, Sendable {
        var oldText: String
        var newText: String
    }

    struct Arguments: Decodable, Sendable {
        var path: String
        var edits: [Edit]
        var dryRun: Bool?
    }

    static let name = "edit_file"
    static let title = "Edit file"
    static let description = """
        Replace exact text in a file, edit by edit, and return a unified diff. Each oldText must match once \
        (a match that differs only in indentation is accepted). With dryRun the diff is shown and nothing is written.
        """
    static let inputSchema: JSONValue = [
        "type": "object",
        "properties": [
            "path": FilesystemToolset.pathProperty,
            "edits": [
                "type": "array", "minItems": 1, "maxItems": 1000,
                "items": [
                    "type": "object",
                    "properties": ["oldText": ["type": "string", "minLength": 1], "newText": ["type": "string"]],
                    "required": ["oldText", "newText"], "additionalProperties": false,
                ],
            ],
            "dryRun": ["type": "boolean", "default": false, "description": "Show the diff without writing."],
        ],
        "required": ["path", "edits"], "additionalProperties": false,
    ]
    static let annotations = ToolAnnotations.write(destructive: true, idempotent: false)
    static let toolset = FilesystemToolset.name
    static let dryRunArgument: String? = "dryRun"
    let access: FilesystemAccess

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let guardian = access.pathGuard(for: context)
        let file = try guardian.resolve(arguments.path)
        let limit = access.settings.maxReadBytes
        let (data, size) = try guardian.read(file, limit: limit)
        guard size <= limit else { throw FilesystemError.tooLarge(path: arguments.path, bytes: size, limit: limit) }
        // Invalid UTF-8 would come back as U+FFFD and be written over the original bytes.
        guard !data.looksBinary, let original = String(validating: data, as: UTF8.self) else {
            throw FilesystemError.notText(path: arguments.path)
        }
        // Edits work on LF text; a CRLF file is written back with CRLF, so an edit never converts it.
        let usesCRLF = original.contains("\r\n")
        let before = usesCRLF ? original.replacingOccurrences(of: "\r\n", with: "\n") : original
        var edited = before
        var budget = Self.matchBudget
        for (index, edit) in arguments.edits.enumerated() {
            try Task.checkCancellation()
            let oldText = edit.oldText.replacingOccurrences(of: "\r\n", with: "\n")
            let newText = edit.newText.replacingOccurrences(of: "\r\n", with: "\n")
            if let range = edited.range(of: oldText) {
                if edited.range(of: oldText, range: range.upperBound..<edited.endIndex) != nil {
                    return .error("Edit \(index + 1): its oldText occurs more than once in \(arguments.path). Include more surrounding lines so it matches one place.")
                }
                edited.replaceSubrange(range, with: newText)
            } else if let replaced = try Self.replaceIgnoringIndentation(in: edited, oldText: oldText, newText: newText, budget: &budget) {
                edited = replaced
            } else {
                throw FilesystemError.editNotFound(index: index, path: arguments.path)
            }
        }
        let diff = UnifiedDiff.make(old: before, new: edited, path: file.path)
        if arguments.dryRun != true && edited != before {
            let output = usesCRLF ? edited.replacingOccurrences(of: "\n", with: "\r\n") : edited
            try guardian.write(Data(output.utf8), to: file)
        }
        let fence = String(repeating: "`", count: max(3, Self.longestBacktickRun(diff) + 1))
        let header = arguments.dryRun == true ? "Dry run: nothing was written.\n" : ""
        return .text(header + "\(fence)diff\n\(diff.isEmpty ? "(no changes)\n" : diff)\(fence)")
    }

    /// Line comparisons one edit call may spend on indentation-insensitive matching: the search is
    /// windows × lines, and a file of blank lines with a long oldText made it quadratic.
    static let matchBudget = 2_000_000

    /// Matches line by line with leading and trailing white space ignored, and keeps the file's indentation
    /// on the first replaced line.
    /// - Throws: ``FilesystemError`` when the search would exceed `budget` line comparisons.
    static func replaceIgnoringIndentation(in text: String, oldText: String, newText: String, budget: inout Int) throws -> String? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let oldLines = oldText.split(separator: "\n", omittingEmptySubsequences: false)
        guard !oldLines.isEmpty, oldLines.count <= lines.count else { return nil }
        let trimmedLines = lines.map { $0.trimmingCharacters(in: .whitespaces) }
        let trimmedOld = oldLines.map { $0.trimmingCharacters(in: .whitespaces) }
        for start in 0...(lines.count - oldLines.count) {
            var matched = true
            for offset in 0..<oldLines.count {
                budget -= 1
                if trimmedLines[start + offset] != trimmedOld[offset] {
                    matched = false
                    break
                }
            }
            guard budget > 0 else {
                throw FilesystemError.system(path: "oldText", operation: "match (too costly without an exact match; copy the text exactly)", errno: E2BIG)
            }
            guard matched else { continue }
            let indent = String(lines[start].prefix { $0 == " " || $0 == "\t" })
            let oldIndent = String(oldLines[0].prefix { $0 == " " || $0 == "\t" })
            let replacement = newText.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
                line.hasPrefix(oldIndent) ? Substring(indent + line.dropFirst(oldIndent.count)) : line
            }
            var result = Array(lines[..<start])
            result.append(contentsOf: replacement)
            result.append(contentsOf: lines[(start + oldLines.count)...])
            return result.joined(separator: "\n")
        }
        return nil
    }

    static func longestBacktickRun(_ text: String) -> Int {
        var longest = 0
        var current = 0
        for character in text {
            current = character == "`" ? current + 1 : 0
            longest = max(longest, current)
        }
        return longest
    }
}
