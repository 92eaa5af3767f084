using System.Text.Json.Serialization;

namespace Playbooks.Calling.Orgs;

/// <summary>How the agent leg connects: the browser (WebRTC) or the rep's own phone (PSTN).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CallingMethod>))]
public enum CallingMethod
{
    [JsonStringEnumMemberName("computer")] Computer,
    [JsonStringEnumMemberName("phone")] Phone,
}

/// <summary>The org's call recording setting, applied to both calling methods.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RecordingMode>))]
public enum RecordingMode
{
    [JsonStringEnumMemberName("off")] Off,
    [JsonStringEnumMemberName("record-from-answer")] RecordFromAnswer,
    [JsonStringEnumMemberName("dual-channel")] DualChannel,
}

public static class CallingMethodNames
{
    public static string ToWire(this CallingMethod method) => method == CallingMethod.Computer ? "computer" : "phone";

    public static bool TryParse(string? value, out CallingMethod method)
    {
        switch (value)
        {
            case "computer": method = CallingMethod.Computer; return true;
            case "phone": method = CallingMethod.Phone; return true;
            default: method = default; return false;
        }
    }
}
