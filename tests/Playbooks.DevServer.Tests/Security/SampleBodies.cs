using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Playbooks.DevServer.Tests.Security;

/// <summary>Request bodies derived from a route's request type: a plausible valid one, and its fields for the bad-input corpus.</summary>
internal static class SampleBodies
{
    /// <summary>Values that make a body valid where a bare type would not say (an enum-like string, a phone number).</summary>
    private static readonly Dictionary<string, JsonNode?> KnownValues = new(StringComparer.OrdinalIgnoreCase)
    {
        ["callSid"] = "CA" + new string('0', 31) + "2",
        ["preference"] = "phone",
        ["callingPreference"] = "phone",
        ["agentPhoneNumber"] = null,
        ["to"] = "+12015550100",
        ["disposition"] = "connected",
        ["notes"] = "Spoke to the prospect.",
        ["score"] = 3,
        ["issues"] = new JsonArray("echo"),
        ["provider"] = "salesforce",
        ["instanceUrl"] = "https://example.my.salesforce.com",
        ["callSids"] = new JsonArray(),
        ["enabled"] = true,
        ["allowComputer"] = false,
        ["allowPhone"] = true,
    };

    public static JsonObject Valid(Type? type)
    {
        var body = new JsonObject();
        foreach (var field in Fields(type))
        {
            if (field.Name == "name")
            {
                // Names are unique per org: every sample gets its own.
                body[field.Name] = $"Security sample {Guid.NewGuid():N}";
            }
            else if (KnownValues.TryGetValue(field.Name, out var known))
            {
                body[field.Name] = known?.DeepClone();
            }
            else if (ValueFor(field.Type) is { } value)
            {
                body[field.Name] = value;
            }
        }

        return body;
    }

    /// <summary>The JSON fields of a request type (camelCase, as the API reads them).</summary>
    public static IReadOnlyList<(string Name, Type Type)> Fields(Type? type) => type is null
        ? []
        : type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite || type.GetConstructors().Any(c => c.GetParameters().Any(a => string.Equals(a.Name, p.Name, StringComparison.OrdinalIgnoreCase))))
            .Where(p => !p.IsDefined(typeof(System.Text.Json.Serialization.JsonIgnoreAttribute)))
            .Select(p => (JsonNamingPolicy.CamelCase.ConvertName(p.Name), Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType))
            .ToList();

    public static bool IsNumber(Type type) => type == typeof(int) || type == typeof(long) || type == typeof(double) || type == typeof(decimal);

    public static bool IsList(Type type) => type != typeof(string) && type.IsAssignableTo(typeof(System.Collections.IEnumerable));

    private static JsonNode? ValueFor(Type type) =>
        type == typeof(string) ? null
        : type == typeof(bool) ? JsonValue.Create(true)
        : IsNumber(type) ? JsonValue.Create(1)
        : null;
}
