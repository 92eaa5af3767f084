using System.Text.Json;
using System.Text.Json.Serialization;

namespace Playbooks.Calling.OrgDirectory;

internal static class DirectoryJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string ToJson<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static IReadOnlyList<string> ToList(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<string>>(json, Options) ?? [];
}
