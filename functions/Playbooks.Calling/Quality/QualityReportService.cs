using Playbooks.Calling.Calls;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.People;
using Playbooks.Calling.Storage;
using Playbooks.Calling.Teams;

namespace Playbooks.Calling.Quality;

/// <summary>Any rep reports a call's quality; managers read their teams' reports, admins the whole org's.</summary>
public class QualityReportService(
    QualityReportStore reports, OrgStore orgs, PersonStore people, CallLedger calls, ManagementScopes scopes, TimeProvider clock,
    QualityReportRateLimiter limiter)
{
    public const string ReportExists = "quality-report-exists";
    public const string RateLimited = "quality-reports-rate-limited";

    public virtual async Task<Result<QualityReport>> SubmitAsync(Caller caller, QualityReportInput input, CancellationToken cancellationToken = default)
    {
        var valid = QualityReportValidation.Validate(input);
        if (valid.Failure is { } invalid)
        {
            return invalid;
        }
        if (limiter.TryAcquire(caller.OrgId, caller.UserId) is { } retryAfter)
        {
            return new Failure(FailureKind.RateLimited, RateLimited, "You have sent many quality reports in a short time. Try again shortly.")
            {
                RetryAfter = retryAfter,
            };
        }
        if (await orgs.GetAsync(caller.OrgId, cancellationToken) is null)
        {
            return Failure.NotFound("Org");
        }
        var report = valid.Value!;
        if ((await calls.GetAsync(caller.OrgId, report.CallSid, cancellationToken))?.UserId != caller.UserId)
        {
            return Failure.Invalid("callSid", "This is not a call you placed: report the quality of your own calls.", "unknown-call");
        }
        var reporter = await people.GetAsync(caller.OrgId, caller.UserId, cancellationToken);
        var at = clock.GetUtcNow();
        var added = await reports.AddAsync(new QualityReport
        {
            OrgId = caller.OrgId,
            Id = QualityReportEntity.NewRowKey(at),
            At = at,
            ReporterUserId = caller.UserId,
            ReporterDisplayName = reporter?.DisplayName ?? caller.DisplayName,
            TeamId = reporter?.TeamId,
            CallSid = report.CallSid,
            Score = report.Score,
            Issues = report.Issues,
            Comment = report.Comment,
            Samples = report.Samples,
            Edge = report.Edge,
        }, cancellationToken);
        return added is null
            ? Failure.Conflict(ReportExists, "You have already reported the quality of this call.")
            : added;
    }

    public virtual async Task<Result<PagedList<QualityReport>>> ListAsync(Caller caller, PageRequest page, CancellationToken cancellationToken = default)
    {
        var scope = await scopes.ForAsync(caller, cancellationToken);
        if (scope.Failure is { } forbidden)
        {
            return forbidden;
        }
        if (ContinuationTokens.Validate(page) is { } invalid)
        {
            return invalid;
        }
        return await reports.ListAsync(caller.OrgId, scope.Value!.WholeOrg ? null : scope.Value.TeamIds.ToList(), page, cancellationToken);
    }
}
