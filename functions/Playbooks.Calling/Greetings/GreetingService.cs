using System.Globalization;
using Playbooks.Calling.Identity;

namespace Playbooks.Calling.Greetings;

/// <summary>
/// A rep's own voicemail greetings: list, add (checked from the bytes: WAV or MP3, <see cref="MinSeconds"/> to
/// <see cref="MaxSeconds"/> long, at most <see cref="MaxBytes"/>), delete and play back. Only the rep reaches them;
/// any other user, in any org, gets "not found".
/// </summary>
public class GreetingService(GreetingStore store, GreetingLinks links, TimeProvider time)
{
    public const int MaxPerRep = 5;
    public const int MaxBytes = 2 * 1024 * 1024;
    public const double MinSeconds = 1;
    public const double MaxSeconds = 60;
    public const int MaxNameLength = 60;

    public const string FormatUnsupported = "greeting-format-unsupported";
    public const string DurationOutOfRange = "greeting-duration-out-of-range";
    public const string LimitReached = "greeting-limit-reached";

    public virtual Task<IReadOnlyList<Greeting>> ListAsync(Caller caller, CancellationToken cancellationToken) =>
        store.ListAsync(caller.OrgId, caller.UserId, cancellationToken);

    public virtual async Task<Result<Greeting>> AddAsync(Caller caller, string? name, BinaryData audio, CancellationToken cancellationToken)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > MaxNameLength || trimmed.Any(char.IsControl))
        {
            return Failure.Invalid("name", $"Give the greeting a name of 1 to {MaxNameLength} characters.");
        }

        if (audio.ToMemory().Length == 0)
        {
            return Failure.Invalid("body", "The request has no audio. Send the WAV or MP3 file as the request body.", "missing-field");
        }

        if (audio.ToMemory().Length > MaxBytes)
        {
            return Failure.Invalid("body", $"A greeting is at most {MaxBytes / (1024 * 1024)} MB.", "greeting-too-large");
        }

        if (GreetingAudio.Inspect(audio.ToMemory().Span) is not { } info)
        {
            return Failure.Invalid("body", "The audio is not a WAV or MP3 file that phones can play.", FormatUnsupported);
        }

        if (info.DurationSeconds < MinSeconds || info.DurationSeconds > MaxSeconds)
        {
            return Failure.Invalid("body", string.Create(CultureInfo.InvariantCulture,
                $"A greeting lasts {MinSeconds:0} to {MaxSeconds:0} seconds; this one lasts {info.DurationSeconds:0.#}."), DurationOutOfRange);
        }

        var existing = await store.ListAsync(caller.OrgId, caller.UserId, cancellationToken);
        if (existing.Count >= MaxPerRep)
        {
            return Failure.Conflict(LimitReached, $"You already have {MaxPerRep} greetings. Delete one first.");
        }

        var greeting = new Greeting(
            GreetingStore.NewId(), trimmed, info.Format, Math.Round(info.DurationSeconds, 2), audio.ToMemory().Length, time.GetUtcNow());
        await store.AddAsync(caller.OrgId, caller.UserId, greeting, info.ContentType, audio, cancellationToken);
        return greeting;
    }

    public virtual async Task<Result<bool>> DeleteAsync(Caller caller, string greetingId, CancellationToken cancellationToken) =>
        await store.DeleteAsync(caller.OrgId, caller.UserId, greetingId, cancellationToken) ? true : Failure.NotFound("Greeting");

    public virtual async Task<Result<GreetingMedia>> OpenAsync(Caller caller, string greetingId, CancellationToken cancellationToken) =>
        await store.OpenAsync(caller.OrgId, caller.UserId, greetingId, cancellationToken) is { } media ? media : Failure.NotFound("Greeting");

    /// <summary>What Twilio's &lt;Play&gt; fetches: the greeting a valid, unexpired link names (403 otherwise, 404 once deleted).</summary>
    public virtual async Task<Result<GreetingMedia>> OpenLinkAsync(string? token, CancellationToken cancellationToken)
    {
        var opened = links.Open(token);
        if (opened.Failure is { } refused)
        {
            return refused;
        }

        var target = opened.Value!;
        return await store.OpenAsync(target.OrgId, target.UserId, target.GreetingId, cancellationToken) is { } media
            ? media
            : Failure.NotFound("Greeting");
    }
}
