using System.Text.Json;

namespace Playbooks.Calling.OrgDirectory;

internal static class DirectoryJson
{
    public static string ToJson<T>(T value) => JsonSerializer.Serialize(value, PlaybooksJson.Options);

    public static IReadOnlyList<string> ToList(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<string>>(json, PlaybooksJson.Options) ?? [];
}
