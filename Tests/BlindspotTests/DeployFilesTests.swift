import BlindspotTestSupport
import Foundation
import Testing
import Yams

/// The deployment examples in deploy/ cannot run here (no container engine or cluster); their
/// syntax, and that each passes a shard count matching the engine's array size, is checked here.
@Suite struct DeployFilesTests {
  let deploy = Fixtures.repositoryRoot.appendingPathComponent("deploy")

  func text(_ path: String) throws -> String { try String(contentsOf: deploy.appendingPathComponent(path), encoding: .utf8) }

  @Test func kubernetesIndexedJobPassesItsCompletionsAsShardCount() throws {
    let job = try #require(try Yams.load(yaml: try text("kubernetes/indexed-job.yaml")) as? [String: Any])
    #expect(job["kind"] as? String == "Job" && job["apiVersion"] as? String == "batch/v1")
    let spec = try #require(job["spec"] as? [String: Any])
    #expect(spec["completionMode"] as? String == "Indexed")
    let completions = try #require(spec["completions"] as? Int)
    let pod = try #require((spec["template"] as? [String: Any])?["spec"] as? [String: Any])
    let container = try #require((pod["containers"] as? [[String: Any]])?.first)
    let args = try #require(container["args"] as? [String])
    #expect(args.first == "batch" && args.contains("--shard-count=\(completions)"))
  }

  @Test func awsBatchDefinitionAndSubmissionAgreeOnTheArraySize() throws {
    let definition = try #require(try JSONSerialization.jsonObject(with: Data(try text("aws-batch/job-definition.json").utf8)) as? [String: Any])
    let submit = try #require(try JSONSerialization.jsonObject(with: Data(try text("aws-batch/submit-job.json").utf8)) as? [String: Any])
    let command = try #require((definition["containerProperties"] as? [String: Any])?["command"] as? [String])
    #expect(command.first == "batch")
    let countArgument = try #require(command.firstIndex(of: "--shard-count").map { command[$0 + 1] })
    #expect(countArgument == "Ref::shardCount")
    let size = try #require((submit["arrayProperties"] as? [String: Any])?["size"] as? Int)
    #expect((submit["parameters"] as? [String: String])?["shardCount"] == String(size))
    #expect(submit["jobDefinition"] as? String == definition["jobDefinitionName"] as? String)
  }

  @Test func slurmScriptIsAnArrayThatRunsBatch() throws {
    let script = try text("slurm/blindspot-batch.sbatch")
    #expect(script.hasPrefix("#!/usr/bin/env bash\n"))
    #expect(script.contains("#SBATCH --array=0-63") && script.contains("blindspot batch"))
    let syntax = try Subprocess.run("bash", ["-n", deploy.appendingPathComponent("slurm/blindspot-batch.sbatch").path])
    #expect(syntax.status == 0, "\(syntax.standardError)")
  }

  @Test func cloudRunJobAndDockerfile() throws {
    let job = try #require(try Yams.load(yaml: try text("cloud-run/job.yaml")) as? [String: Any])
    #expect(job["kind"] as? String == "Job")
    let dockerfile = try text("Dockerfile")
    let stages = dockerfile.split(separator: "\n").filter { $0.hasPrefix("FROM ") }
    #expect(stages == ["FROM swift:6.0-bookworm AS build", "FROM debian:12-slim"])
    #expect(dockerfile.contains("COPY --from=build /out/models /usr/local/share/blindspot/models"))
  }
}
