import Foundation
import PackagePlugin

/// Generates the case events' Swift from the target's `.events` schema files
/// (see Sources/EventSchemaGenerator): one definition per event, its codecs
/// derived from it at build time.
@main
struct EventSchemaPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        guard let target = target as? SourceModuleTarget else { return [] }
        let schemas = target.sourceFiles.map(\.url).filter { $0.pathExtension == "events" }.sorted { $0.path < $1.path }
        guard !schemas.isEmpty else { return [] }
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("SchemaEvents.swift")
        return [.buildCommand(
            displayName: "Generating \(target.name)'s events from \(schemas.count) schema files",
            executable: try context.tool(named: "EventSchemaGenerator").url,
            arguments: [output.path] + schemas.map(\.path),
            inputFiles: schemas,
            outputFiles: [output]
        )]
    }
}
