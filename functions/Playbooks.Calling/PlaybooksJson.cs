using System.Text.Json;
using System.Text.Json.Serialization;

namespace Playbooks.Calling;

/// <summary>
/// The app's one JSON format, for the API, the rows and the queue alike: the web defaults (camelCase, our enums as
/// their wire names through their own converters), nulls left out, and numbers only as numbers.
/// </summary>
public static class PlaybooksJson
{
    public static readonly JsonSerializerOptions Options = Create();

    /// <summary>Gives options made elsewhere (the HTTP pipeline's) the same format.</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        // "120" is not 120: a request that sends a number as a string is refused, not guessed at.
        options.NumberHandling = JsonNumberHandling.Strict;
    }

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
