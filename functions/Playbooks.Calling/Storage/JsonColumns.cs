using System.Text.Json;

namespace Playbooks.Calling.Storage;

/// <summary>List properties stored in a table column as JSON.</summary>
internal static class JsonColumns
{
    public static string ToJson<T>(T value) => JsonSerializer.Serialize(value, PlaybooksJson.Options);

    public static IReadOnlyList<string> ToList(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<string>>(json, PlaybooksJson.Options) ?? [];
}
