namespace Playbooks.Calling.Orgs;

public static class RecordingModes
{
    public static string ToWire(RecordingMode mode) => mode switch
    {
        RecordingMode.RecordFromAnswer => "record-from-answer",
        RecordingMode.DualChannel => "dual-channel",
        _ => "off",
    };

    public static bool TryParse(string? value, out RecordingMode mode)
    {
        switch (value)
        {
            case "off": mode = RecordingMode.Off; return true;
            case "record-from-answer": mode = RecordingMode.RecordFromAnswer; return true;
            case "dual-channel": mode = RecordingMode.DualChannel; return true;
            default: mode = default; return false;
        }
    }
}
