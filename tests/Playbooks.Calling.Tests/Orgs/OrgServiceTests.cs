using Moq;
using Playbooks.Calling.Audit;
using Playbooks.Calling.CallerIds;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.PermissionGroups;
using Playbooks.Calling.Tests.OrgDirectory;

namespace Playbooks.Calling.Tests.Orgs;

public class OrgServiceTests
{
    private const string OrgId = "org-1";
    private readonly Mock<OrgStore> orgs = StoreMocks.Of<OrgStore>();
    private readonly List<string> audited = [];
    private readonly Mock<AuditService> audit;
    private readonly OrgSettings org = new() { OrgId = OrgId, Name = "Org", ComputerCallingEnabled = false, Version = "v1" };

    public OrgServiceTests()
    {
        audit = StoreMocks.Audit(audited);
        orgs.Setup(o => o.GetAsync(OrgId, It.IsAny<CancellationToken>())).ReturnsAsync(org);
    }

    private readonly Mock<CallerIdStore> callerIds = StoreMocks.Of<CallerIdStore>();

    private readonly Mock<PermissionGroupStore> groups = StoreMocks.Of<PermissionGroupStore>();

    private OrgService Service => new(orgs.Object, audit.Object, callerIds.Object, groups.Object);

    [Fact]
    public async Task Update_NotAdmin_Returns403()
    {
        var result = await Service.UpdateAsync(Callers.Manager(OrgId), new OrgSettingsPatch { Recording = "off" }, null);

        Assert.Equal(FailureKind.Forbidden, result.Failure!.Kind);
    }

    [Theory]
    [InlineData("edges", "mars")]
    [InlineData("codecPreferences", "opus")]
    [InlineData("allowedCountries", "XX")]
    [InlineData("callerId", "555")]
    [InlineData("recording", "sometimes")]
    [InlineData("defaultCallingPreference", "fax")]
    [InlineData("name", "")]
    [InlineData("maxCallMinutes", "0")]
    [InlineData("maxCallMinutes", "241")]
    public async Task Update_InvalidField_Returns400NamingIt(string field, string value)
    {
        var patch = field switch
        {
            "maxCallMinutes" => new OrgSettingsPatch { MaxCallMinutes = int.Parse(value) },
            "edges" => new OrgSettingsPatch { Edges = ["roaming", value] },
            "codecPreferences" => new OrgSettingsPatch { CodecPreferences = [value, "pcmu"] },
            "allowedCountries" => new OrgSettingsPatch { AllowedCountries = ["US", value] },
            "callerId" => new OrgSettingsPatch { CallerId = value },
            "recording" => new OrgSettingsPatch { Recording = value },
            "defaultCallingPreference" => new OrgSettingsPatch { DefaultCallingPreference = value },
            _ => new OrgSettingsPatch { Name = value },
        };

        var result = await Service.UpdateAsync(Callers.Admin(OrgId), patch, null);

        Assert.Equal(FailureKind.Invalid, result.Failure!.Kind);
        Assert.Equal(field, result.Failure.Field);
    }

    [Fact]
    public async Task Update_ValidPatch_NormalisesAndSavesWithIfMatchAndAudits()
    {
        // Arrange
        callerIds.Setup(c => c.GetOwnerAsync("+12025550143", It.IsAny<CancellationToken>())).ReturnsAsync(OrgId);
        orgs.Setup(o => o.UpdateAsync(It.IsAny<OrgSettings>(), "client-v", It.IsAny<CancellationToken>()))
            .ReturnsAsync((OrgSettings o, string _, CancellationToken _) => o with { Version = "v2" });
        var patch = new OrgSettingsPatch
        {
            Edges = ["Ashburn", "roaming"], CodecPreferences = ["pcmu"], AllowedCountries = ["gb", "us"],
            CallerId = "(202) 555-0143", Recording = "dual-channel", MaxCallMinutes = 240,
        };

        // Act
        var result = await Service.UpdateAsync(Callers.Admin(OrgId), patch, "client-v");

        // Assert
        var saved = result.Value!;
        Assert.Equal(["ashburn", "roaming"], saved.Edges);
        Assert.Equal(["GB", "US"], saved.AllowedCountries);
        Assert.Equal("+12025550143", saved.CallerId);
        Assert.Equal(RecordingMode.DualChannel, saved.Recording);
        Assert.Equal(240, saved.MaxCallMinutes);
        Assert.False(saved.ComputerCallingEnabled);
        Assert.Equal(["org.updated"], audited);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("org-2")]
    public async Task Update_CallerIdNotAssignedToTheOrg_Returns403AndSavesNothing(string? owner)
    {
        // Arrange
        callerIds.Setup(c => c.GetOwnerAsync("+12025550143", It.IsAny<CancellationToken>())).ReturnsAsync(owner);

        // Act
        var result = await Service.UpdateAsync(Callers.Admin(OrgId), new OrgSettingsPatch { CallerId = "+1 202 555 0143" }, null);

        // Assert
        Assert.Equal(FailureKind.Forbidden, result.Failure?.Kind);
        Assert.Equal(CallerIdService.NotAssigned, result.Failure?.Code);
        Assert.Equal("callerId", result.Failure?.Field);
        orgs.Verify(o => o.UpdateAsync(It.IsAny<OrgSettings>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Empty(audited);
    }

    [Fact]
    public async Task Update_ClearingTheCallerId_NeedsNoAssignment()
    {
        // Arrange
        var withCallerId = org with { CallerId = "+12025550143" };
        orgs.Setup(o => o.GetAsync(OrgId, It.IsAny<CancellationToken>())).ReturnsAsync(withCallerId);
        orgs.Setup(o => o.UpdateAsync(It.IsAny<OrgSettings>(), "v1", It.IsAny<CancellationToken>()))
            .ReturnsAsync((OrgSettings o, string _, CancellationToken _) => o with { Version = "v2" });

        // Act
        var result = await Service.UpdateAsync(Callers.Admin(OrgId), new OrgSettingsPatch { CallerId = "" }, null);

        // Assert
        Assert.Null(result.Value?.CallerId);
    }

    [Fact]
    public async Task Update_DefaultPermissionGroupThatDoesNotExist_Returns400AndSavesNothing()
    {
        // Arrange
        groups.Setup(g => g.GetAsync(OrgId, "gone", It.IsAny<CancellationToken>())).ReturnsAsync((PermissionGroup?)null);

        // Act
        var result = await Service.UpdateAsync(Callers.Admin(OrgId), new OrgSettingsPatch { DefaultPermissionGroupId = "gone" }, null);

        // Assert
        Assert.Equal(FailureKind.Invalid, result.Failure?.Kind);
        Assert.Equal(("defaultPermissionGroupId", "unknown-permission-group"), (result.Failure?.Field, result.Failure?.Code));
        orgs.Verify(o => o.UpdateAsync(It.IsAny<OrgSettings>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Empty(audited);
    }

    [Fact]
    public async Task Update_DefaultPermissionGroupAndPreference_SavesBothAndAudits()
    {
        // Arrange
        groups.Setup(g => g.GetAsync(OrgId, "reps", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new PermissionGroup { OrgId = OrgId, Id = "reps", Name = "Reps", AllowPhone = true });
        orgs.Setup(o => o.UpdateAsync(It.IsAny<OrgSettings>(), "v1", It.IsAny<CancellationToken>()))
            .ReturnsAsync((OrgSettings o, string _, CancellationToken _) => o with { Version = "v2" });

        // Act
        var result = await Service.UpdateAsync(Callers.Admin(OrgId),
            new OrgSettingsPatch { DefaultPermissionGroupId = " reps ", DefaultCallingPreference = "computer" }, null);

        // Assert
        Assert.Equal("reps", result.Value?.DefaultPermissionGroupId);
        Assert.Equal(CallingMethod.Computer, result.Value?.DefaultCallingPreference);
        Assert.Equal(["org.updated"], audited);
    }

    [Fact]
    public async Task Update_EmptyDefaultPermissionGroup_ClearsItWithoutALookup()
    {
        // Arrange
        orgs.Setup(o => o.GetAsync(OrgId, It.IsAny<CancellationToken>())).ReturnsAsync(org with { DefaultPermissionGroupId = "reps" });
        orgs.Setup(o => o.UpdateAsync(It.IsAny<OrgSettings>(), "v1", It.IsAny<CancellationToken>()))
            .ReturnsAsync((OrgSettings o, string _, CancellationToken _) => o with { Version = "v2" });

        // Act
        var result = await Service.UpdateAsync(Callers.Admin(OrgId), new OrgSettingsPatch { DefaultPermissionGroupId = "" }, null);

        // Assert
        Assert.True(result.IsSuccess);
        Assert.Null(result.Value!.DefaultPermissionGroupId);
    }
}
