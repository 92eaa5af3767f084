using Playbooks.Calling.Calls;
using Playbooks.Calling.Tests.Twilio;

namespace Playbooks.Calling.Tests.Calls;

public class TokenRateLimiterTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 14, 9, 0, 0, TimeSpan.Zero);

    private static (TokenRateLimiter Limiter, FakeTimeProvider Time) Create(int perMinute = 3)
    {
        var time = new FakeTimeProvider(Start);
        return (new TokenRateLimiter(TestTwilioOptions.Wrap(o => o.TokenRequestsPerMinute = perMinute), time), time);
    }

    [Fact]
    public void TryAcquire_UpToTheLimit_IsAllowed()
    {
        // Arrange
        var (limiter, _) = Create(perMinute: 3);

        // Act
        var decisions = Enumerable.Range(0, 3).Select(_ => limiter.TryAcquire("org", "user")).ToList();

        // Assert
        Assert.All(decisions, d => Assert.True(d.Allowed));
    }

    [Fact]
    public void TryAcquire_OverTheLimit_IsRefusedWithRetryAfterUntilTheOldestLeavesTheWindow()
    {
        // Arrange
        var (limiter, time) = Create(perMinute: 3);
        limiter.TryAcquire("org", "user");
        time.Advance(TimeSpan.FromSeconds(20));
        limiter.TryAcquire("org", "user");
        limiter.TryAcquire("org", "user");

        // Act
        var refused = limiter.TryAcquire("org", "user");

        // Assert
        Assert.False(refused.Allowed);
        Assert.Equal(TimeSpan.FromSeconds(40), refused.RetryAfter);
    }

    [Fact]
    public void TryAcquire_AfterWaitingRetryAfter_IsAllowedAgain()
    {
        // Arrange
        var (limiter, time) = Create(perMinute: 1);
        limiter.TryAcquire("org", "user");
        var refused = limiter.TryAcquire("org", "user");

        // Act
        time.Advance(refused.RetryAfter);
        var retried = limiter.TryAcquire("org", "user");

        // Assert
        Assert.True(retried.Allowed);
    }

    [Fact]
    public void TryAcquire_RefusedAttempts_DoNotExtendTheWait()
    {
        // Arrange
        var (limiter, time) = Create(perMinute: 1);
        limiter.TryAcquire("org", "user");
        for (var i = 0; i < 5; i++)
        {
            time.Advance(TimeSpan.FromSeconds(10));
            limiter.TryAcquire("org", "user");
        }

        // Act
        time.Advance(TimeSpan.FromSeconds(10));
        var decision = limiter.TryAcquire("org", "user");

        // Assert
        Assert.True(decision.Allowed);
    }

    [Fact]
    public void TryAcquire_FractionalWait_RoundsRetryAfterUpToWholeSeconds()
    {
        // Arrange
        var (limiter, time) = Create(perMinute: 1);
        limiter.TryAcquire("org", "user");
        time.Advance(TimeSpan.FromMilliseconds(59_500));

        // Act
        var refused = limiter.TryAcquire("org", "user");

        // Assert
        Assert.Equal(TimeSpan.FromSeconds(1), refused.RetryAfter);
    }

    [Fact]
    public void TryAcquire_OtherUsers_HaveTheirOwnBudget()
    {
        // Arrange
        var (limiter, _) = Create(perMinute: 1);
        limiter.TryAcquire("org", "user-a");

        // Act
        var sameUserOtherOrg = limiter.TryAcquire("other-org", "user-a");
        var otherUser = limiter.TryAcquire("org", "user-b");
        var sameUser = limiter.TryAcquire("org", "user-a");

        // Assert
        Assert.True(sameUserOtherOrg.Allowed);
        Assert.True(otherUser.Allowed);
        Assert.False(sameUser.Allowed);
    }

    [Fact]
    public async Task TryAcquire_ManyThreadsAtOnce_AllowsExactlyTheLimit()
    {
        // Arrange
        var (limiter, _) = Create(perMinute: 10);

        // Act
        var decisions = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => limiter.TryAcquire("org", "user"))));

        // Assert
        Assert.Equal(10, decisions.Count(d => d.Allowed));
    }

    [Fact]
    public void TryAcquire_NewWindow_StartsWithAFullBudgetEvenAfterManyRefusals()
    {
        // Arrange
        var (limiter, time) = Create(perMinute: 2);
        for (var i = 0; i < 50; i++)
        {
            limiter.TryAcquire("org", "user");
        }

        // Act
        time.Advance(TokenRateLimiter.Window);
        var decisions = Enumerable.Range(0, 3).Select(_ => limiter.TryAcquire("org", "user")).ToList();

        // Assert
        Assert.Equal([true, true, false], decisions.Select(d => d.Allowed));
    }
}
