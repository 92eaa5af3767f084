using Microsoft.Extensions.DependencyInjection;

namespace Playbooks.Calling.Recordings;

public static class RecordingsServiceCollectionExtensions
{
    /// <summary>Recording playback; needs the activity store, people and teams, and the Twilio options.</summary>
    public static IServiceCollection AddPlaybooksRecordings(this IServiceCollection services)
    {
        services.AddHttpClient<RecordingMediaClient>(http => http.Timeout = TimeSpan.FromSeconds(30));
        services.AddTransient<RecordingService>();
        services.AddTransient<DisclosureService>();
        return services;
    }
}
