using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Functions.Auth;

namespace Playbooks.Functions.Tests.Auth;

public sealed class ValidatedTokenCacheTests : IDisposable
{
    private readonly TestTokens _tokens = new();

    public void Dispose() => _tokens.Dispose();

    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static ClaimsPrincipal Principal(string userId) => new(new ClaimsIdentity([new Claim("oid", userId)], "Bearer"));

    /// <summary>The app's authentication with a counter on full validations (the handler's token-validated event).</summary>
    private (IServiceProvider Services, Func<int> Validations) Services()
    {
        var validations = 0;
        var services = _tokens.BuildServices(s => s.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
        {
            options.Events ??= new JwtBearerEvents();
            var earlier = options.Events.OnTokenValidated;
            options.Events.OnTokenValidated = context =>
            {
                Interlocked.Increment(ref validations);
                return earlier(context);
            };
        }));
        return (services, () => Volatile.Read(ref validations));
    }

    private static async Task<(int Status, string? UserId)> CallAsync(IServiceProvider services, string token)
    {
        // One scope per request, as a host makes: authentication handlers are per request.
        using var scope = services.CreateScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        http.Response.Body = new MemoryStream();
        http.Request.Headers.Authorization = $"Bearer {token}";
        string? userId = null;
        await services.GetRequiredService<FunctionPipeline>().InvokeAsync(http, typeof(Functions).GetMethod(nameof(Functions.SignedIn))!, () =>
        {
            userId = http.Request.GetCaller().UserId;
            return Task.CompletedTask;
        });
        return (http.Response.StatusCode, userId);
    }

    private sealed class Functions
    {
        public void SignedIn()
        {
        }
    }

    [Fact]
    public async Task Pipeline_SameTokenAgain_IsAcceptedWithoutValidatingItAgain()
    {
        // Arrange
        var (services, validations) = Services();
        var token = _tokens.Create(userId: "u-1");
        await CallAsync(services, token);

        // Act
        var second = await CallAsync(services, token);

        // Assert
        Assert.Equal((200, "u-1", 1), (second.Status, second.UserId, validations()));
    }

    [Fact]
    public async Task Pipeline_AnotherUsersToken_IsValidatedAndServedItsOwnCaller()
    {
        // Arrange
        var (services, validations) = Services();
        await CallAsync(services, _tokens.Create(userId: "u-1"));

        // Act
        var other = await CallAsync(services, _tokens.Create(userId: "u-2"));

        // Assert
        Assert.Equal((200, "u-2", 2), (other.Status, other.UserId, validations()));
    }

    [Fact]
    public async Task Pipeline_TamperedCopyOfAnAcceptedToken_Returns401()
    {
        // Arrange
        var (services, _) = Services();
        var token = _tokens.Create(userId: "u-1");
        await CallAsync(services, token);
        var parts = token.Split('.');
        var forged = _tokens.Create(userId: "admin-1").Split('.')[1];

        // Act: the accepted token's header and signature around another payload
        var response = await CallAsync(services, $"{parts[0]}.{forged}.{parts[2]}");

        // Assert
        Assert.Equal(401, response.Status);
    }

    [Fact]
    public async Task Pipeline_RejectedToken_IsNotKept()
    {
        // Arrange
        var (services, _) = Services();
        var untrusted = _tokens.Create(key: _tokens.UntrustedKey);
        await CallAsync(services, untrusted);

        // Act
        var again = await CallAsync(services, untrusted);

        // Assert
        Assert.Equal(401, again.Status);
    }

    [Fact]
    public void TryGet_PastTheTokensExpiry_ReturnsNothing()
    {
        // Arrange
        var clock = new Clock(Start);
        var cache = new ValidatedTokenCache(new MemoryCache(new MemoryCacheOptions()), clock);
        cache.Keep("token", Principal("u-1"), Start.AddSeconds(20));

        // Act
        clock.Now = Start.AddSeconds(19);
        var before = cache.TryGet("token");
        clock.Now = Start.AddSeconds(20);
        var at = cache.TryGet("token");

        // Assert
        Assert.Equal(("u-1", null), (before?.FindFirst("oid")?.Value, at));
    }

    [Fact]
    public void TryGet_AfterTheMaximumAge_ReturnsNothingEvenIfTheTokenIsStillValid()
    {
        // Arrange
        var clock = new Clock(Start);
        var cache = new ValidatedTokenCache(new MemoryCache(new MemoryCacheOptions()), clock);
        cache.Keep("token", Principal("u-1"), Start.AddHours(1));

        // Act
        clock.Now = Start + ValidatedTokenCache.MaxAge;

        // Assert
        Assert.Null(cache.TryGet("token"));
    }

    [Fact]
    public void TryGet_TokenNeverKept_ReturnsNothing()
    {
        // Arrange
        var cache = new ValidatedTokenCache(new MemoryCache(new MemoryCacheOptions()));
        cache.Keep("token", Principal("u-1"), DateTimeOffset.UtcNow.AddHours(1));

        // Act
        var other = cache.TryGet("token2");

        // Assert
        Assert.Null(other);
    }
}
