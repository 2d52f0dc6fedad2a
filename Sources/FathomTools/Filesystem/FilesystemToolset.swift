import FathomCore

/// Files and directories under the allowed roots: the reference MCP filesystem server's tools, made safe.
public enum FilesystemToolset {
    public static let name = "filesystem"

    public static func tools(_ access: FilesystemAccess) -> [any Tool] {
        [
            ReadTextFileTool(access: access),
            ReadMediaFileTool(access: access),
            ReadMultipleFilesTool(access: access),
            ListDirectoryTool(access: access),
            ListDirectoryWithSizesTool(access: access),
            DirectoryTreeTool(access: access),
            SearchFilesTool(access: access),
            GetFileInfoTool(access: access),
            ListAllowedDirectoriesTool(access: access),
            WriteFileTool(access: access),
            EditFileTool(access: access),
            CreateDirectoryTool(access: access),
            MoveFileTool(access: access),
        ]
    }

    static let pathProperty: JSONValue = ["type": "string", "description": "Absolute path, or relative to the first allowed directory.", "minLength": 1]
}
