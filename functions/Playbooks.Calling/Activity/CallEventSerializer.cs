using System.Text.Json;

namespace Playbooks.Calling.Activity;

/// <summary>The queue payload: versioned camelCase JSON. Anything the writer cannot use comes back as a failure to dead-letter with.</summary>
public static class CallEventSerializer
{
    public const string UnsupportedVersion = "unsupported-version";
    public const string UnparseablePayload = "unparseable-payload";

    public static string Serialize(CallEventMessage message) => JsonSerializer.Serialize(message, PlaybooksJson.Options);

    /// <summary>The message, or a failure whose <see cref="Failure.Code"/> is the dead-letter reason and <see cref="Failure.Detail"/> its description.</summary>
    public static Result<CallEventMessage> TryDeserialize(string? payload)
    {
        if (string.IsNullOrWhiteSpace(payload)) return Unparseable("The payload is empty.");
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return Unparseable("The payload is not a JSON object.");
            if (!root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.Number)
            {
                return new Failure(FailureKind.Invalid, UnsupportedVersion, "The payload has no numeric version.");
            }

            if (!version.TryGetInt32(out var number) || number != CallEventMessage.CurrentVersion)
            {
                return new Failure(FailureKind.Invalid, UnsupportedVersion,
                    $"Version {version.GetRawText()} is not supported; this writer reads version {CallEventMessage.CurrentVersion}.");
            }

            var message = root.Deserialize<CallEventMessage>(PlaybooksJson.Options);
            if (message is null) return Unparseable("The payload is null.");
            return message.Validate() is { } failure ? failure : message;
        }
        catch (JsonException e)
        {
            return Unparseable(e.Message);
        }
    }

    private static Failure Unparseable(string detail) => new(FailureKind.Invalid, UnparseablePayload, detail);
}
