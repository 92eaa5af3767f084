using Microsoft.Extensions.Logging;
using Playbooks.Calling.Activity;
using Playbooks.Calling.Identity;
using Playbooks.Calling.People;
using Playbooks.Calling.Storage;
using Playbooks.Calling.Teams;

namespace Playbooks.Calling.Recordings;

/// <summary>
/// Playback of call recordings through our API. A call's recording is heard by its rep, a manager of a team the rep
/// is on, and an admin of the org; everyone else, in this org or another, gets the same 404 as for a call that
/// does not exist, so a call SID reveals nothing.
/// </summary>
public class RecordingService(
    ActivityStore activities, PersonStore people, ManagementScopes scopes, RecordingMediaClient media, ILogger<RecordingService> logger)
{
    /// <summary>The path the API answers playback on; the only recording location the browser ever sees.</summary>
    public static string PlaybackPath(string callSid) => $"/api/calls/{Uri.EscapeDataString(callSid)}/recording";

    /// <summary>Whether an activity has a finished recording that can be played.</summary>
    public static bool IsPlayable(CallActivity activity) =>
        activity.RecordingStatus == RecordingStatus.Completed && RecordingMediaClient.IsRecordingSid(activity.RecordingSid);

    /// <summary>The call's activity when the caller may hear its recording and it has one; 404 otherwise.</summary>
    public virtual async Task<Result<CallActivity>> FindAsync(Caller caller, string callSid, CancellationToken cancellationToken = default)
    {
        if (!TableKeys.IsValid(callSid))
        {
            return Failure.NotFound("Recording");
        }

        // The key carries the caller's org from the token, so another org's call is simply not found.
        var activity = await activities.GetAsync(new ActivityKey(caller.OrgId, callSid), cancellationToken);
        if (activity is null || !await MayHearAsync(caller, activity, cancellationToken) || !IsPlayable(activity))
        {
            return Failure.NotFound("Recording");
        }

        return activity;
    }

    /// <summary>Opens the recording's audio from Twilio for a caller allowed to hear it.</summary>
    public virtual async Task<Result<RecordingMedia>> OpenAsync(Caller caller, string callSid, CancellationToken cancellationToken = default)
    {
        var found = await FindAsync(caller, callSid, cancellationToken);
        if (found.Failure is { } failure)
        {
            return failure;
        }

        try
        {
            return await media.OpenAsync(found.Value!.RecordingSid!, cancellationToken) is { } audio
                ? audio
                : Failure.NotFound("Recording");
        }
        catch (RecordingMediaException ex)
        {
            logger.LogWarning(ex, "Recording of call {CallSid} could not be fetched from Twilio", callSid);
            return new Failure(FailureKind.Unavailable, "recording-unavailable", "The recording cannot be fetched right now. Try again in a minute.");
        }
    }

    private async Task<bool> MayHearAsync(Caller caller, CallActivity activity, CancellationToken cancellationToken)
    {
        if (caller.IsAdmin || (activity.UserId is not null && activity.UserId == caller.UserId))
        {
            return true;
        }

        if (!caller.IsManager || activity.UserId is null)
        {
            return false;
        }

        var scope = await scopes.ForAsync(caller, cancellationToken);
        if (scope.Value is not { } managed)
        {
            return false;
        }

        var rep = await people.GetAsync(caller.OrgId, activity.UserId, cancellationToken);
        return rep is not null && managed.CoversTeam(rep.TeamId);
    }
}
