import ArgumentParser
import Blindspot

@main
struct BlindspotCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "blindspot",
    abstract: "Anonymizes vehicle camera video: blurs faces and licence plates, strips metadata.",
    discussion: """
      Exit codes: 0 ok, 1 usage or configuration, 2 bad input, 3 policy violation, 4 retryable I/O.
      """,
    version: BlindspotVersion.current,
    subcommands: [Anonymize.self],
    defaultSubcommand: Anonymize.self
  )
}
