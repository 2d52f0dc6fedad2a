import Testing

@testable import FathomMCP

@Suite struct PromptTemplateTests {
    @Test func parsesFrontMatterAndRendersArguments() throws {
        let text = "---\nname: summarize\ndescription: Sum it up\narguments:\n  - name: path\n    required: true\n    values: [a, b]\n---\nSummarize {{path}}.\n"
        let prompt = try PromptTemplate.parse(text, file: "p/summarize.md")
        #expect(prompt.name == "summarize")
        #expect(prompt.arguments.first?.isRequired == true)
        #expect(prompt.arguments.first?.values == ["a", "b"])
        #expect(prompt.render(["path": "/srv"]) == "Summarize /srv.\n")
    }

    @Test func fileWithoutFrontMatterIsNamedAfterTheFile() throws {
        #expect(try PromptTemplate.parse("Just text", file: "p/plain.md").name == "plain")
    }

    @Test func unclosedFrontMatterIsAnError() {
        #expect(throws: PromptError.self) { try PromptTemplate.parse("---\nname: x\nbody", file: "p/x.md") }
    }

    @Test func argumentWithoutANameIsAnError() {
        #expect(throws: PromptError.self) { try PromptTemplate.parse("---\narguments:\n  - required: true\n---\n", file: "p/x.md") }
    }
}
