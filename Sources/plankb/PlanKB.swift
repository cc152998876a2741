import ArgumentParser

@main
struct PlanKB: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plankb",
        abstract: "Turn Chinese policy documents into a searchable knowledge base.",
        subcommands: []
    )
}
