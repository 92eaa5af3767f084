using System.Globalization;

namespace Playbooks.DevServer.TwilioSimulator;

internal enum PhoneOutcome
{
    Answers,
    Busy,
    NoAnswer,
    Fails,
}

/// <summary>
/// What a simulated phone does when called, decided by its number (the magic numbers of the README). All are in
/// the fictional +1 201 555 01XX range: valid US numbers to libphonenumber that no real phone has.
/// </summary>
internal sealed record PhoneBehaviour(PhoneOutcome Outcome, int? HangsUpAfterSeconds = null)
{
    /// <summary>
    /// Whoever answers presses 1 when a one-key &lt;Gather&gt; asks (the agent leg's "press 1 to connect"), a second
    /// after it starts listening, unless a key was posted first. A voicemail never presses anything.
    /// </summary>
    public bool PressesOneWhenAsked { get; init; } = true;

    /// <summary>Answers like a voicemail: picks up and listens, never presses a key.</summary>
    public const string Voicemail = "+12015550104";

    public const string Answers = "+12015550100";
    public const string Busy = "+12015550101";
    public const string NoAnswer = "+12015550102";
    public const string Fails = "+12015550103";

    /// <summary>+1 201 555 01NN with NN from 05 to 99 answers and hangs up after NN seconds.</summary>
    public const string HangsUpAfterPrefix = "+120155501";

    public const int MinHangUpSeconds = 5;

    public static string HangsUpAfter(int seconds) =>
        seconds is >= MinHangUpSeconds and <= 99
            ? HangsUpAfterPrefix + seconds.ToString("00", CultureInfo.InvariantCulture)
            : throw new ArgumentOutOfRangeException(nameof(seconds), "Between 5 and 99 seconds.");

    /// <summary>Every number not listed answers and stays on the line until someone hangs up.</summary>
    public static PhoneBehaviour For(string? number) => number switch
    {
        Busy => new(PhoneOutcome.Busy),
        NoAnswer => new(PhoneOutcome.NoAnswer),
        Fails => new(PhoneOutcome.Fails),
        Voicemail => new(PhoneOutcome.Answers) { PressesOneWhenAsked = false },
        { Length: 12 } when number.StartsWith(HangsUpAfterPrefix, StringComparison.Ordinal)
            && int.TryParse(number.AsSpan(10), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            && seconds >= MinHangUpSeconds => new(PhoneOutcome.Answers, seconds),
        _ => new(PhoneOutcome.Answers),
    };
}
