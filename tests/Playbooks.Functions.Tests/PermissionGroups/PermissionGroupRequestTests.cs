using Playbooks.Calling.PermissionGroups;
using Playbooks.Functions.PermissionGroups;

namespace Playbooks.Functions.Tests.PermissionGroups;

public sealed class PermissionGroupRequestTests
{
    [Fact]
    public void ToInput_BothSettings_MapsToTheGroupInput()
    {
        var input = new PermissionGroupRequest("Closers", true, false).ToInput();

        Assert.Equal(new PermissionGroupInput("Closers", true, false), input.Value);
    }

    [Theory]
    [InlineData(null, true, "allowComputer")]
    [InlineData(true, null, "allowPhone")]
    public void ToInput_MissingSetting_NamesIt(bool? allowComputer, bool? allowPhone, string field)
    {
        var input = new PermissionGroupRequest("Closers", allowComputer, allowPhone).ToInput();

        Assert.Equal(field, input.Failure!.Field);
    }
}
