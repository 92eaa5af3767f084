namespace Playbooks.Calling.Activity;

/// <summary>The rep's after-call form: how the call went (one of <see cref="Dispositions.All"/>) and free-text notes.</summary>
public sealed record DispositionInput(string? Disposition, string? Notes);

public static class Dispositions
{
    public const int MaxNotesLength = 2000;

    public static readonly IReadOnlyList<string> All =
    [
        "connected",
        "left-voicemail",
        "no-answer",
        "busy",
        "wrong-number",
        "not-interested",
        "meeting-booked",
        "follow-up",
    ];

    /// <summary>The refusal for a form the API cannot save, or null when it is fine.</summary>
    public static Failure? Validate(DispositionInput input)
    {
        if (input.Disposition is null || !All.Contains(input.Disposition, StringComparer.Ordinal))
        {
            return Failure.Invalid("disposition", $"disposition must be one of: {string.Join(", ", All)}.", "unknown-disposition");
        }

        return input.Notes is { Length: > MaxNotesLength }
            ? Failure.Invalid("notes", $"notes can be at most {MaxNotesLength} characters.", "notes-too-long")
            : null;
    }
}
