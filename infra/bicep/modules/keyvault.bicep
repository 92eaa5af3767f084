@description('Name of the Key Vault holding the Twilio secrets (CRM secrets live in a vault of their own, crm-keyvault.bicep).')
param name string
param location string
param tags object
@description('Entra tenant that owns the vault.')
param tenantId string
@secure()
@description('Twilio account auth token (validates webhook signatures).')
param twilioAuthToken string
@secure()
@description('Secret of the Twilio API key that signs Voice access tokens.')
param twilioApiKeySecret string
@description('Purge protection: a deleted vault or secret cannot be purged before its retention ends. Irreversible once on.')
param enablePurgeProtection bool
@description('When true the vault takes no traffic from public networks; the app reaches it through a private endpoint.')
param enableNetworkIsolation bool

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    // Azure refuses an explicit false, so off means leaving the property out.
    enablePurgeProtection: enablePurgeProtection ? true : null
    publicNetworkAccess: enableNetworkIsolation ? 'Disabled' : 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: enableNetworkIsolation ? 'Deny' : 'Allow'
    }
  }

  resource authToken 'secrets' = {
    name: 'twilio-auth-token'
    properties: {
      value: twilioAuthToken
      contentType: 'text/plain'
    }
  }

  resource apiKeySecret 'secrets' = {
    name: 'twilio-api-key-secret'
    properties: {
      value: twilioApiKeySecret
      contentType: 'text/plain'
    }
  }
}

output name string = vault.name
output id string = vault.id
@description('The Twilio secrets; the app identity may read these and nothing else in this vault.')
output secretNames array = [vault::authToken.name, vault::apiKeySecret.name]
output uri string = vault.properties.vaultUri
// Versionless URIs, so the app picks up a rotated secret without a redeploy.
output authTokenVaultReference string = '@Microsoft.KeyVault(SecretUri=${vault::authToken.properties.secretUri})'
output apiKeyVaultReference string = '@Microsoft.KeyVault(SecretUri=${vault::apiKeySecret.properties.secretUri})'
