import ArgumentParser
import FathomCore
import Foundation

struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor", abstract: "Show what is configured and whether each part is reachable.")
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        print("fathom \(FathomCommand.version)")
        let runtime: Runtime
        do {
            runtime = try Runtime(options: options)
        } catch {
            print("config   FAIL \(error)")
            throw ExitCode(1)
        }
        var failures = 0
        let config = runtime.config
        print("home     \(config.home)")
        print("config   ok \(config.sources.isEmpty ? "embedded defaults" : config.sources.joined(separator: ", "))")
        do {
            try await runtime.store.checkReachable()
            print("store    ok \(await runtime.store.summary)")
        } catch {
            failures += 1
            print("store    FAIL \(error)")
        }
        let roots = runtime.filesystem.configuredRoots
        if roots.isEmpty {
            failures += 1
            print("files    FAIL no allowed directory exists (filesystem.roots: \(config.filesystem.roots.joined(separator: ", ")))")
        } else {
            print("files    ok roots \(roots.joined(separator: ", ")); deny \(config.filesystem.deny.joined(separator: ", "))")
        }
        let listed = runtime.registry.descriptors(client: "cli").count
        print("policy   \(config.policy.readOnly ? "read-only" : "writes allowed"); \(listed) of \(runtime.registry.allDescriptors.count) tools callable")
        print("prompts  \(runtime.prompts.prompts.count) loaded" + (runtime.prompts.problems.isEmpty ? "" : "; problems: \(runtime.prompts.problems.joined(separator: "; "))"))
        print("llm      none configured (the deterministic path answers)")
        if failures > 0 { throw ExitCode(1) }
    }
}
