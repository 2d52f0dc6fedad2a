import FathomCore
import Foundation
import Testing

@Suite struct AgentSpecLoaderTests {
    let persona = "---\nname: p\ndescription: \"A persona: careful.\"\n---\nYou are careful.\n"

    func home(_ files: [String: String]) throws -> String {
        try ConfigLoaderTests().home(files)
    }

    @Test func theShippedAgentsLoad() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let agents = try AgentSpecLoader(home: repository).load()
        #expect(agents.map(\.name) == ["cluster-doctor", "knowledge-librarian", "notifier", "sre-assistant"])
        #expect(Set(agents.map(\.kind)) == Set(AgentSpec.Kind.allCases))
        let doctor = try #require(agents.first { $0.name == "cluster-doctor" })
        #expect(doctor.persona.hasPrefix("You are an experienced site reliability engineer"))
        #expect(doctor.playbook.map(\.tool).first == "cluster_health")
        let front = try #require(agents.first { $0.name == "sre-assistant" })
        #expect(front.defaultRoute == "cluster-doctor")
        #expect(front.workflows.map(\.name) == ["incident-brief"])
        #expect(front.workflows.first?.steps.map(\.agent) == ["cluster-doctor", "notifier"])
    }

    @Test func everyFieldIsRead() throws {
        let dir = try home([
            "prompts/p.md": persona,
            "agents/a.yaml": """
                name: a
                kind: execution
                description: Does things.
                prompt: p
                model: [local, hosted]
                tools: ["pods_*", "toolset:observability"]
                budgets: {steps: 3, tokens: 5000, seconds: 30}
                approval: deny
                schedule: "*/5 * * * *"
                playbook:
                  - tool: pods_list
                    arguments: {namespace: shop, limit: 5, all: true, ratio: 0.5, labels: [a, b], question: "{{question}}"}
                """,
        ])
        let agent = try #require(try AgentSpecLoader(home: dir).load().first)
        #expect(agent.persona == "You are careful.")
        #expect(agent.models == ["local", "hosted"])
        #expect(agent.budgets.steps == 3 && agent.budgets.tokens == 5000 && agent.budgets.seconds == 30)
        #expect(agent.approval == .deny)
        #expect(agent.schedule == "*/5 * * * *")
        #expect(agent.playbook.first?.arguments == [
            "namespace": "shop", "limit": 5, "all": true, "ratio": 0.5, "labels": ["a", "b"], "question": "{{question}}",
        ])
    }

    @Test(arguments: [
        ("name: a\nkind: execution\ndescription: d\ntols: [x]\n", "unknown key 'tols'"),
        ("name: a\nkind: wizard\ndescription: d\n", "one of orchestration, knowledge, execution, integration"),
        ("name: a\nkind: execution\n", "'description' must be set"),
        ("name: a\nkind: execution\ndescription: d\nprompt: missing\n", "prompts/missing.md"),
        ("name: a\nkind: orchestration\ndescription: d\n", "routes, default_route or workflows"),
        ("name: a\nkind: orchestration\ndescription: d\nworkflows: [{name: w, steps: []}]\n", "a list of 1 to 10 steps"),
        ("name: a\nkind: orchestration\ndescription: d\nworkflows: [{name: w, steps: [{agent: ghost}]}]\n", "'ghost'"),
        ("name: a\nkind: orchestration\ndescription: d\nworkflows: [{name: w, steps: [{question: q}]}]\n", "an agent's name"),
        ("name: a\nkind: orchestration\ndescription: d\nroutes: [{agent: ghost, keywords: [x]}]\n", "'ghost'"),
        ("name: a\nkind: knowledge\ndescription: d\n", "file globs for a knowledge agent"),
        ("name: a\nkind: integration\ndescription: d\n", "a message template"),
        ("name: a\nkind: integration\ndescription: d\ntemplate: t\nwebhook: ftp://x\n", "http:// or https://"),
        ("name: a\nkind: execution\ndescription: d\ntools: [read_*]\nplaybook: [{tool: pods_delete}]\n", "'pods_delete'"),
        ("name: a\nkind: execution\ndescription: d\nbudgets: {steps: 0}\n", "from 1 to 100"),
        ("name: a\nkind: execution\ndescription: d\nplaybook: [{tool: x, arguments: [1]}]\n", "must be a mapping"),
        ("name: 'a b'\nkind: execution\ndescription: d\n", "a short name"),
        ("name: a\nkind: [execution\n", "YAML syntax error"),
        ("", "an empty file"),
        ("- just\n- a list\n", "a mapping of agent fields"),
        ("x: &a [*a]\n", "undefined alias"),
    ])
    func malformedAgentsSayFileAndKey(_ yaml: String, _ expected: String) throws {
        let dir = try home(["agents/bad.yaml": yaml])
        let error = #expect(throws: ConfigError.self) { try AgentSpecLoader(home: dir).load() }
        let text = error.map { "\($0)" } ?? ""
        #expect(text.contains(expected), "\(text)")
        #expect(text.contains("bad.yaml") || text.contains("agents/a"), "\(text)")
    }

    @Test func twoAgentsMayNotShareAName() throws {
        let dir = try home([
            "agents/one.yaml": "name: a\nkind: execution\ndescription: d\n", "agents/two.yaml": "name: a\nkind: execution\ndescription: d\n",
        ])
        #expect(throws: ConfigError.self) { try AgentSpecLoader(home: dir).load() }
    }

    @Test func anOversizedFileIsRefused() throws {
        let dir = try home(["agents/big.yaml": "name: a\nkind: execution\ndescription: \(String(repeating: "x", count: 300_000))\n"])
        #expect(throws: ConfigError.self) { try AgentSpecLoader(home: dir).load() }
    }

    @Test func noAgentsFolderMeansNoAgents() throws {
        #expect(try AgentSpecLoader(home: try home([:])).load().isEmpty)
    }
}

@Suite struct LLMConfigTests {
    @Test func modelsFromYAMLAndTheEnvironment() throws {
        let dir = try ConfigLoaderTests().home([
            "fathom.yaml": """
                llm:
                  models:
                    - name: local
                      url: http://127.0.0.1:8080/v1
                      model: qwen
                      context_window: 8192
                      tool_mode: prompt
                      headers: {X-Team: sre}
                    - name: hosted
                      provider: openai
                      url: https://api.example.com/v1
                      model: big
                      api_key_env: TEST_LLM_KEY
                      timeout_seconds: 30
                  fallback: [hosted]
                  retries: 1
                """,
        ])
        let config = try ConfigLoader(environment: ["TEST_LLM_KEY": "sk-abc", "FATHOM_LLM_URL": "http://127.0.0.1:9000", "FATHOM_LLM_MODEL": "small"])
            .load(home: dir)
        #expect(config.llm.ordered.map(\.name) == ["hosted", "default", "local"])
        let hosted = try #require(config.llm.models.first { $0.name == "hosted" })
        #expect(hosted.apiKey == "sk-abc" && hosted.timeoutSeconds == 30)
        let local = try #require(config.llm.models.first { $0.name == "local" })
        #expect(local.toolMode == .prompt && local.contextWindow == 8192 && local.headers == ["X-Team": "sre"])
        let fallback = try #require(config.llm.models.first { $0.name == "default" })
        #expect(fallback.url == "http://127.0.0.1:9000" && fallback.model == "small")
        #expect(config.llm.retries == 1)
    }

    @Test(arguments: [
        ("llm:\n  models:\n    - name: x\n      url: http://h\n      model: m\n      provider: bard\n", "one of openai, ollama, anthropic"),
        ("llm:\n  models:\n    - name: x\n      url: http://h/?key=1\n      model: m\n", "no query"),
        ("llm:\n  models:\n    - name: x\n      url: http://h\n", "both url and model"),
        ("llm:\n  models:\n    - name: x\n      url: http://h\n      model: m\n      api_key_env: NOT_SET_ANYWHERE\n", "which is not set"),
        ("llm:\n  models:\n    - name: x\n      url: http://h\n      model: m\n      temperature: 2\n", "unknown key 'temperature'"),
        ("llm:\n  model: m\n", "llm.url (FATHOM_LLM_URL) set too"),
        ("llm:\n  retries: 99\n", "from 0 to 10"),
    ])
    func malformedModelsAreRefused(_ yaml: String, _ expected: String) throws {
        let dir = try ConfigLoaderTests().home(["fathom.yaml": yaml])
        let error = #expect(throws: ConfigError.self) { try ConfigLoader(environment: [:]).load(home: dir) }
        #expect(error.map { "\($0)" }?.contains(expected) == true, "\(String(describing: error))")
    }
}

@Suite struct ExternalConfigTests {
    @Test func stdioAndHTTPServers() throws {
        let dir = try ConfigLoaderTests().home([
            "tools/external.yaml": """
                servers:
                  - name: git
                    command: [uvx, mcp-server-git]
                    env: {GIT_TERMINAL_PROMPT: "0"}
                    cwd: repo
                    read_only_tools: [git_status, "git_log*"]
                  - name: docs
                    url: http://127.0.0.1:9000/mcp
                    token_env: DOCS_TOKEN
                    timeout_seconds: 5
                """,
        ])
        let config = try ConfigLoader(environment: ["DOCS_TOKEN": "t0ken-value"]).load(home: dir)
        #expect(config.external.servers.map(\.name) == ["git", "docs"])
        #expect(config.external.servers[0].transport == .stdio(command: ["uvx", "mcp-server-git"], environment: ["GIT_TERMINAL_PROMPT": "0"], directory: dir + "/repo"))
        #expect(config.external.servers[0].readOnlyTools == ["git_status", "git_log*"])
        #expect(config.external.servers[1].transport == .http(url: "http://127.0.0.1:9000/mcp", bearer: "t0ken-value"))
        #expect(config.external.servers[1].timeoutSeconds == 5)
    }

    @Test(arguments: [
        ("servers:\n  - name: a\n    command: [x]\n    url: http://h/mcp\n", "exactly one of command (stdio) and url (HTTP)"),
        ("servers:\n  - name: a\n", "exactly one of command (stdio) and url (HTTP)"),
        ("servers:\n  - name: a__b\n    command: [x]\n", "a name without '__'"),
        ("servers:\n  - name: a\n    command: []\n", "a program and its arguments"),
        ("servers:\n  - name: a\n    command: [x]\n    shell: true\n", "unknown key 'shell'"),
        ("servers:\n  - name: a\n    url: ftp://h\n", "http:// or https://"),
        ("servers:\n  - name: a\n    url: http://h/mcp\n    token_env: UNSET_VARIABLE\n", "which is not set"),
        ("servers:\n  - name: a\n    command: [x]\n  - name: a\n    command: [y]\n", "'a' again"),
    ])
    func malformedServersAreRefused(_ yaml: String, _ expected: String) throws {
        let dir = try ConfigLoaderTests().home(["tools/external.yaml": yaml])
        let error = #expect(throws: ConfigError.self) { try ConfigLoader(environment: [:]).load(home: dir) }
        #expect(error.map { "\($0)" }?.contains(expected) == true, "\(String(describing: error))")
    }
}
