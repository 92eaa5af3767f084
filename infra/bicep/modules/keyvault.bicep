@description('Name of the Key Vault holding the Twilio secrets and, added later by admins, per-org CRM credentials.')
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
    // Shortest retention, so a clean-up and redeploy with the same environment name is not blocked for long.
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
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
output uri string = vault.properties.vaultUri
// Versionless URIs, so the app picks up a rotated secret without a redeploy.
output authTokenVaultReference string = '@Microsoft.KeyVault(SecretUri=${vault::authToken.properties.secretUri})'
output apiKeyVaultReference string = '@Microsoft.KeyVault(SecretUri=${vault::apiKeySecret.properties.secretUri})'
