using Playbooks.Calling.Greetings;

namespace Playbooks.Functions.Greetings;

/// <summary>A greeting as the web app shows it, with the path the rep plays it back from.</summary>
public sealed record GreetingResponse(string Id, string Name, string Format, double DurationSeconds, long SizeBytes, DateTimeOffset CreatedAt, string AudioPath)
{
    public static GreetingResponse From(Greeting g) =>
        new(g.Id, g.Name, g.Format, g.DurationSeconds, g.SizeBytes, g.CreatedAt, $"/api/me/greetings/{g.Id}/audio");
}

/// <summary>The rep's greetings and the limits an upload must meet.</summary>
public sealed record GreetingListResponse(IReadOnlyList<GreetingResponse> Items, int MaxGreetings, double MinSeconds, double MaxSeconds, int MaxBytes)
{
    public static GreetingListResponse From(IReadOnlyList<Greeting> greetings) =>
        new(greetings.Select(GreetingResponse.From).ToList(), GreetingService.MaxPerRep, GreetingService.MinSeconds, GreetingService.MaxSeconds, GreetingService.MaxBytes);
}
