// Package migrations embeds the versioned SQL migrations, one folder per
// dialect. Both folders carry the same version numbers; a test keeps them in step.
package migrations

import "embed"

// FS holds sqlite/*.sql and postgres/*.sql.
//
//go:embed sqlite/*.sql postgres/*.sql
var FS embed.FS
