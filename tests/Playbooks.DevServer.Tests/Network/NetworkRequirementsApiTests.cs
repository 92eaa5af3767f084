using System.Net;
using System.Text.Json;
using Playbooks.DevServer.Tests.Http;

namespace Playbooks.DevServer.Tests.Network;

[Collection(DevServerCollection.Name)]
public sealed class NetworkRequirementsApiTests(DevServerFactory server)
{
    [Fact]
    public async Task GetRequirements_RepOfRoamingOrg_ListsEveryEdgeLocationAndGllGuidance()
    {
        var rep = await server.SignedInClientAsync("rep-both");

        var requirements = await (await rep.GetAsync("/api/network/requirements")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(["roaming"], requirements.Strings("edges"));
        Assert.Equal(["au1", "br1", "ie1", "de1", "jp1", "sg1", "in1", "us1", "us2"], Locations(requirements).Select(l => l.Str("region")));
        var hosts = requirements.GetProperty("signaling").EnumerateArray().Select(h => h.Str("host")).ToList();
        Assert.Contains("chunderw-gll.twilio.com", hosts);
        Assert.Contains("chunderw-vpc-gll-jp1.twilio.com", hosts);
        Assert.Contains("eventgw.twilio.com", hosts);
        Assert.Contains("dig edns-client-sub.net TXT", requirements.GetProperty("gll").Strings("checkCommands"));
        Assert.Equal(200, requirements.GetProperty("quality").GetProperty("maxRttMs").GetInt32());
        Assert.Equal(30, requirements.GetProperty("quality").GetProperty("maxJitterMs").GetInt32());
    }

    [Theory]
    [InlineData("sydney")]
    [InlineData("au1")]
    [InlineData("SYDNEY")]
    public async Task GetRequirements_OneEdge_ReturnsOnlyThatLocationWithTheSourcesRanges(string edge)
    {
        var rep = await server.SignedInClientAsync("rep-both");

        var requirements = await (await rep.GetAsync($"/api/network/requirements?edge={edge}")).JsonAsync(HttpStatusCode.OK);

        var sydney = Assert.Single(Locations(requirements));
        Assert.Equal("au1", sydney.Str("region"));
        var media = sydney.GetProperty("media");
        Assert.Equal("10000-20000", media.Str("ports"));
        Assert.Equal("54.252.254.64", media.GetProperty("ranges")[0].Str("first"));
        Assert.Equal("3.104.90.255", media.GetProperty("ranges")[1].Str("last"));
        Assert.Equal("13.210.2.128", sydney.GetProperty("stun").GetProperty("ranges")[0].Str("first"));
        Assert.False(requirements.TryGetProperty("gll", out _));
        var hosts = requirements.GetProperty("signaling").EnumerateArray().Select(h => h.Str("host")).ToList();
        Assert.Contains("chunderw-vpc-gll-au1.twilio.com", hosts);
        Assert.DoesNotContain("chunderw-vpc-gll-us1.twilio.com", hosts);
    }

    [Fact]
    public async Task GetRequirements_StunOnlyEdge_HasNoMediaRanges()
    {
        var rep = await server.SignedInClientAsync("rep-both");

        var requirements = await (await rep.GetAsync("/api/network/requirements?edge=umatilla")).JsonAsync(HttpStatusCode.OK);

        var oregon = Assert.Single(Locations(requirements));
        Assert.Equal("oregon", oregon.Str("name"));
        Assert.False(oregon.TryGetProperty("media", out _));
        Assert.Equal("44.234.69.127", oregon.GetProperty("stun").GetProperty("ranges")[2].Str("last"));
    }

    [Fact]
    public async Task GetRequirements_OrgWithPinnedEdges_DefaultsToThoseEdgesInOrder()
    {
        var org = await TestOrg.CreateAsync(server);
        var admin = await org.AdminAsync();
        await (await admin.PatchAsync("/api/admin/org", new { edges = new[] { "frankfurt", "dublin" } })).JsonAsync(HttpStatusCode.OK);
        var rep = await org.RepAsync("rep-1");

        var requirements = await (await rep.GetAsync("/api/network/requirements")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(["de1", "ie1"], Locations(requirements).Select(l => l.Str("region")));
        Assert.False(requirements.TryGetProperty("gll", out _));
    }

    [Fact]
    public async Task GetRequirements_UnknownEdge_Returns400NamingEdge()
    {
        var rep = await server.SignedInClientAsync("rep-both");

        var response = await rep.GetAsync("/api/network/requirements?edge=atlantis");

        Assert.Equal("edge", (await response.ProblemAsync(HttpStatusCode.BadRequest, "unknown-edge")).Str("field"));
    }

    [Fact]
    public async Task GetRequirements_WithoutToken_Returns401()
    {
        var response = await server.CreateClient().GetAsync("/api/network/requirements");

        await response.ProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task GetRequirements_UnprovisionedOrgWithoutEdge_Returns403OrgNotProvisioned()
    {
        var client = await server.SignedInClientAsync("someone", "unprovisioned-net", "Rep");

        var response = await client.GetAsync("/api/network/requirements");

        await response.ProblemAsync(HttpStatusCode.Forbidden, "org-not-provisioned");
    }

    private static IReadOnlyList<JsonElement> Locations(JsonElement requirements) =>
        requirements.GetProperty("locations").EnumerateArray().ToList();
}
