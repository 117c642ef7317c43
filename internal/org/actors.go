package org

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// actorNamesPad is how many ids a query of ActorNames holds at least: a
// page of fewer is padded with its last id, so that the statement's text,
// prepared once, is the same for every page of a list.
const actorNamesPad = 50

// cliPusherName names a batch pushed by hutong import records: its actor
// is system:cli alone, the operating system's account that ran the command
// being kept in the batch's records.batch audit row (cli:ACCOUNT) only, not
// with the batch.
const cliPusherName = "命令行导入"

// ActorNames names actors written "kind:id" (an audit.Actor's Kind and
// ID, as batches record who pushed them): an app (app:<key id>) by its
// name, an account (user:<id>) by its username, with one query for each
// kind, whatever the number of actors, the platform's own actors
// (system:demo) by the name their audit rows carry (audit.SystemActorName),
// and hutong import records (system:cli) as cliPusherName. An actor of
// another kind, or one not found, has no name in the map.
func ActorNames(ctx context.Context, q sqldb.Querier, actors []string) (map[string]string, error) {
	var keys, users []any
	for _, a := range actors {
		kind, id, _ := strings.Cut(a, ":")
		switch kind {
		case audit.ActorApp:
			if !slices.Contains(keys, any(id)) {
				keys = append(keys, id)
			}
		case audit.ActorUser:
			if n, err := strconv.ParseInt(id, 10, 64); err == nil && n > 0 && !slices.Contains(users, any(n)) {
				users = append(users, n)
			}
		}
	}
	names := map[string]string{}
	for _, a := range actors {
		kind, id, _ := strings.Cut(a, ":")
		switch {
		case kind == audit.ActorSystem && audit.SystemActorName(id) != "":
			names[a] = audit.SystemActorName(id)
		case kind == audit.ActorSystem && id == "cli":
			names[a] = cliPusherName
		}
	}
	for _, by := range []struct {
		kind, query string
		ids         []any
	}{
		{audit.ActorApp, `SELECT k.key_id, a.name FROM app_keys k JOIN apps a ON a.id = k.app_id WHERE k.key_id IN `, keys},
		{audit.ActorUser, `SELECT CAST(id AS TEXT), username FROM users WHERE id IN `, users},
	} {
		if len(by.ids) == 0 {
			continue
		}
		var args []any
		in := sqldb.In(q, &args, by.ids, actorNamesPad)
		if err := nameRows(ctx, q, by.query+in, args, by.kind, names); err != nil {
			return nil, fmt.Errorf("org: actor names: %w", err)
		}
	}
	return names, nil
}

// nameRows runs query, which selects an id and a name, and puts each name
// into names under kind:id.
func nameRows(ctx context.Context, q sqldb.Querier, query string, args []any, kind string, names map[string]string) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			return err
		}
		names[kind+":"+id] = name
	}
	return rows.Err()
}

// DisplayNames maps each of usernames that is an account's to its display
// name (姓名), for pages that show who did something; a name no account
// has (a system actor's) is not in the map.
func DisplayNames(ctx context.Context, q sqldb.Querier, usernames []string) (map[string]string, error) {
	names := map[string]string{}
	if len(usernames) == 0 {
		return names, nil
	}
	var args []any
	in := sqldb.In(q, &args, usernames, 8)
	rows, err := q.QueryContext(ctx, `SELECT username, display_name FROM users WHERE username IN `+in, args...)
	if err != nil {
		return nil, fmt.Errorf("org: display names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var user, name string
		if err := rows.Scan(&user, &name); err != nil {
			return nil, fmt.Errorf("org: display names: %w", err)
		}
		names[user] = name
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("org: display names: %w", err)
	}
	return names, nil
}
