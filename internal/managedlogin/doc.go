// Package managedlogin turns a managed login branding style (the Settings
// document and Assets of CreateManagedLoginBranding) into what the hosted
// pages can show of it: a stylesheet of colours, radii and background
// images for light and dark mode, the form's logo and the favicons, and
// the checks that let an asset be served from Userpool's own origin.
package managedlogin
