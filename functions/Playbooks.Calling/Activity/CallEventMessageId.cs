using System.Security.Cryptography;
using System.Text;

namespace Playbooks.Calling.Activity;

/// <summary>
/// The queue MessageId of an event: equal for a callback Twilio (or a rep's client) sent twice, so Service Bus
/// duplicate detection drops the replay, and distinct for any two events that differ in what they report.
/// </summary>
public static class CallEventMessageId
{
    public const int MaxLength = 128;

    public static string For(CallEventMessage message)
    {
        var id = message.Kind switch
        {
            CallEventKind.CallStatus => $"call-status:{message.CallSid}:{message.SequenceNumber}",
            CallEventKind.RecordingStatus =>
                $"recording-status:{message.RecordingSid}:{message.RecordingStatus?.ToWire()}",
            CallEventKind.Disposition =>
                $"disposition:{message.CallSid}:{ContentHash(message.Disposition, message.Notes)}:{message.UpdatedAt?.UtcTicks}",
            CallEventKind.Disclosure => $"disclosure:{message.CallSid}",
            CallEventKind.ServerEnded => $"server-ended:{message.CallSid}",
            CallEventKind.VoicemailDrop => $"voicemail-drop:{message.CallSid}:{message.GreetingId}",
            _ => throw new ArgumentOutOfRangeException(nameof(message), message.Kind, "Unknown event kind."),
        };
        return id.Length <= MaxLength ? id : "sha256:" + Hex(id, 64);
    }

    private static string ContentHash(string? disposition, string? notes) =>
        Hex($"{disposition?.Length ?? -1}:{disposition}{notes?.Length ?? -1}:{notes}", 32);

    private static string Hex(string text, int length) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..length];
}
