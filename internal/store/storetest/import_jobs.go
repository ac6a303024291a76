package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/userpool/userpool/internal/store"
)

func newImportJob(poolID, id string) store.ImportJob {
	return store.ImportJob{
		PoolID:    poolID,
		ID:        id,
		Name:      "job " + id,
		RoleARN:   "arn:aws:iam::000000000000:role/import",
		Status:    "Created",
		CreatedAt: t0,
		UpdatedAt: t0,
		CSVSize:   -1,
	}
}

// testImportJobs checks import jobs: create, get, update, list in id
// order, the file written once and dropped, a missing pool or job
// refused, and the jobs going with their pool.
func testImportJobs(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := mustPool(t, s, "pool-a")
	b := mustPool(t, s, "pool-b")

	j := newImportJob(a.ID, "import-b")
	noErr(t, "CreateImportJob", s.CreateImportJob(ctx, j))
	noErr(t, "CreateImportJob(second)", s.CreateImportJob(ctx, newImportJob(a.ID, "import-a")))
	noErr(t, "CreateImportJob(other pool)", s.CreateImportJob(ctx, newImportJob(b.ID, "import-b")))
	wantErr(t, "CreateImportJob(taken)", s.CreateImportJob(ctx, j), store.ErrAlreadyExists)
	wantErr(t, "CreateImportJob(missing pool)", s.CreateImportJob(ctx, newImportJob("pool-missing", "import-c")), store.ErrNotFound)

	got, err := s.GetImportJob(ctx, a.ID, j.ID)
	noErr(t, "GetImportJob", err)
	if d := diff(j, got); d != "" {
		t.Errorf("GetImportJob (-want +got):\n%s", d)
	}
	_, err = s.GetImportJob(ctx, a.ID, "import-missing")
	wantErr(t, "GetImportJob(missing)", err, store.ErrNotFound)

	// The file: once, then refused; readable until dropped.
	_, err = s.ImportCSV(ctx, a.ID, j.ID)
	wantErr(t, "ImportCSV(before upload)", err, store.ErrNotFound)
	csv := []byte("cognito:username,email\nalice,alice@example.com\n")
	noErr(t, "PutImportCSV", s.PutImportCSV(ctx, a.ID, j.ID, csv))
	wantErr(t, "PutImportCSV(again)", s.PutImportCSV(ctx, a.ID, j.ID, []byte("x")), store.ErrAlreadyExists)
	wantErr(t, "PutImportCSV(missing job)", s.PutImportCSV(ctx, a.ID, "import-missing", csv), store.ErrNotFound)
	gotCSV, err := s.ImportCSV(ctx, a.ID, j.ID)
	noErr(t, "ImportCSV", err)
	if string(gotCSV) != string(csv) {
		t.Errorf("ImportCSV = %q, want %q", gotCSV, csv)
	}
	got, err = s.GetImportJob(ctx, a.ID, j.ID)
	noErr(t, "GetImportJob(uploaded)", err)
	if got.CSVSize != int64(len(csv)) {
		t.Errorf("CSVSize = %d, want %d", got.CSVSize, len(csv))
	}
	empty := newImportJob(b.ID, "import-empty")
	noErr(t, "CreateImportJob(empty)", s.CreateImportJob(ctx, empty))
	noErr(t, "PutImportCSV(empty file)", s.PutImportCSV(ctx, b.ID, empty.ID, nil))
	gotCSV, err = s.ImportCSV(ctx, b.ID, empty.ID)
	noErr(t, "ImportCSV(empty file)", err)
	if len(gotCSV) != 0 {
		t.Errorf("ImportCSV(empty file) = %q", gotCSV)
	}

	// Update: every field but the key and the file's size.
	want := got
	want.Status, want.StartedAt, want.CompletedAt, want.UpdatedAt = "Succeeded", t0.Add(time.Minute), t0.Add(2*time.Minute), t0.Add(2*time.Minute)
	want.Imported, want.Skipped, want.Failed, want.Message = 7, 2, 1, "Import Job Completed Successfully."
	got, err = s.UpdateImportJob(ctx, a.ID, j.ID, func(w *store.ImportJob) error {
		w.Status, w.StartedAt, w.CompletedAt, w.UpdatedAt = want.Status, want.StartedAt, want.CompletedAt, want.UpdatedAt
		w.Imported, w.Skipped, w.Failed, w.Message = want.Imported, want.Skipped, want.Failed, want.Message
		return nil
	})
	noErr(t, "UpdateImportJob", err)
	if d := diff(want, got); d != "" {
		t.Errorf("UpdateImportJob (-want +got):\n%s", d)
	}
	if again, _ := s.GetImportJob(ctx, a.ID, j.ID); diff(want, again) != "" {
		t.Errorf("GetImportJob after update (-want +got):\n%s", diff(want, again))
	}
	_, err = s.UpdateImportJob(ctx, a.ID, j.ID, func(w *store.ImportJob) error { return errBoom })
	wantErr(t, "UpdateImportJob(abort)", err, errBoom)
	_, err = s.UpdateImportJob(ctx, a.ID, j.ID, func(w *store.ImportJob) error { w.ID = "import-z"; return nil })
	if err == nil {
		t.Error("UpdateImportJob changing the id: no error")
	}
	_, err = s.UpdateImportJob(ctx, a.ID, "import-missing", func(*store.ImportJob) error { return nil })
	wantErr(t, "UpdateImportJob(missing)", err, store.ErrNotFound)

	noErr(t, "DropImportCSV", s.DropImportCSV(ctx, a.ID, j.ID))
	noErr(t, "DropImportCSV(again)", s.DropImportCSV(ctx, a.ID, j.ID))
	_, err = s.ImportCSV(ctx, a.ID, j.ID)
	wantErr(t, "ImportCSV(dropped)", err, store.ErrNotFound)
	wantErr(t, "PutImportCSV(after drop)", s.PutImportCSV(ctx, a.ID, j.ID, csv), store.ErrAlreadyExists)
	if got, _ := s.GetImportJob(ctx, a.ID, j.ID); got.CSVSize != int64(len(csv)) {
		t.Errorf("CSVSize after drop = %d, want %d", got.CSVSize, len(csv))
	}

	// The files of jobs never started go once they have expired.
	late := newImportJob(a.ID, "import-late")
	late.CreatedAt = t0.Add(time.Hour)
	noErr(t, "CreateImportJob(late)", s.CreateImportJob(ctx, late))
	noErr(t, "PutImportCSV(late)", s.PutImportCSV(ctx, a.ID, late.ID, csv))
	noErr(t, "CreateImportJob(old)", s.CreateImportJob(ctx, newImportJob(a.ID, "import-old")))
	noErr(t, "PutImportCSV(old)", s.PutImportCSV(ctx, a.ID, "import-old", csv))
	n, err := s.DropUnstartedImportCSVs(ctx, t0.Add(time.Minute))
	noErr(t, "DropUnstartedImportCSVs", err)
	if n != 2 { // import-old, and import-empty in the other pool
		t.Errorf("DropUnstartedImportCSVs dropped %d files, want 2", n)
	}
	_, err = s.ImportCSV(ctx, a.ID, "import-old")
	wantErr(t, "ImportCSV(old, dropped)", err, store.ErrNotFound)
	_, err = s.ImportCSV(ctx, a.ID, late.ID)
	noErr(t, "ImportCSV(late, kept)", err)

	keys := pageThrough(t, 1, func(j store.ImportJob) string { return j.ID },
		func(p store.Page) ([]store.ImportJob, string, error) { return s.ListImportJobs(ctx, a.ID, p) })
	if d := diff([][]string{{"import-a"}, {"import-b"}, {"import-late"}, {"import-old"}}, keys); d != "" {
		t.Errorf("ListImportJobs pages (-want +got):\n%s", d)
	}

	noErr(t, "DeletePool(b)", s.DeletePool(ctx, b.ID))
	noErr(t, "CreatePool(b again)", s.CreatePool(ctx, newPool(b.ID)))
	_, err = s.GetImportJob(ctx, b.ID, "import-b")
	wantErr(t, "GetImportJob(after its pool was deleted)", err, store.ErrNotFound)
}

// testImportUsers checks the bulk insert: new users and their attributes
// are stored as CreateUser stores them, and a user whose username, sub or
// alias is taken, by an existing user or by one earlier in the batch, is
// skipped and named, without undoing the others.
func testImportUsers(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := mustPool(t, s, "pool-a")
	mustUser(t, s, withAlias(newUser(a.ID, "existing", attr("email", "taken@example.com")), "taken@example.com"))

	imported := func(username string, attrs ...store.Attribute) store.User {
		u := newUser(a.ID, username, attrs...)
		u.Status, u.PasswordHash, u.PasswordUpdatedAt = "RESET_REQUIRED", "", time.Time{}
		return u
	}
	alice := withAlias(imported("alice", attr("email", "alice@example.com"), attr("email_verified", "true")), "alice@example.com")
	alice.MFA.SMSEnabled = true
	bob := imported("bob", attr("given_name", "Bob"))
	dupName := imported("Existing")
	dupName.Sub = "sub-other"
	dupAlias := withAlias(imported("carol", attr("email", "taken@example.com")), "taken@example.com")
	dupInBatch := imported("ALICE")
	dupInBatch.Sub = "sub-alice-2"
	dupSub := imported("dave")
	dupSub.Sub = bob.Sub
	dupPreferred := imported("erin")
	dupPreferred.AliasPreferredUsername = "e"
	samePreferred := imported("frank")
	samePreferred.AliasPreferredUsername = "e"

	users := []store.User{alice, bob, dupName, dupAlias, dupInBatch, dupSub, dupPreferred, samePreferred}
	conflicts, err := s.ImportUsers(ctx, users)
	noErr(t, "ImportUsers", err)
	want := []string{"", "", "username", "email", "username", "sub", "", "preferred_username"}
	if d := diff(want, conflicts); d != "" {
		t.Errorf("ImportUsers conflicts (-want +got):\n%s", d)
	}
	for _, u := range []store.User{alice, bob, dupPreferred} {
		got, err := s.GetUser(ctx, a.ID, u.UsernameKey)
		noErr(t, "GetUser("+u.Username+")", err)
		if d := diff(u, got); d != "" {
			t.Errorf("imported %s (-want +got):\n%s", u.Username, d)
		}
	}
	if n, err := s.CountUsers(ctx, a.ID); err != nil || n != 4 {
		t.Errorf("CountUsers = %d, %v; want 4", n, err)
	}
	_, err = s.ImportUsers(ctx, []store.User{newUser("pool-missing", "x")})
	wantErr(t, "ImportUsers(missing pool)", err, store.ErrNotFound)

	// Batches larger than one statement's rows: conflicts inside them
	// are still named, and every attribute row is written.
	var many []store.User
	for i := range 150 {
		u := imported(fmt.Sprintf("many%03d", i), attr("email", fmt.Sprintf("m%d@example.com", i)), attr("given_name", "M"))
		switch i {
		case 70:
			u.UsernameKey = "many005"
		case 140:
			u.Sub = many[3].Sub
		}
		many = append(many, u)
	}
	conflicts, err = s.ImportUsers(ctx, many)
	noErr(t, "ImportUsers(many)", err)
	for i, c := range conflicts {
		want := ""
		switch i {
		case 70:
			want = "username"
		case 140:
			want = "sub"
		}
		if c != want {
			t.Errorf("ImportUsers(many)[%d] = %q, want %q", i, c, want)
		}
	}
	for _, i := range []int{0, 69, 71, 149} {
		got, err := s.GetUser(ctx, a.ID, many[i].UsernameKey)
		noErr(t, "GetUser(many)", err)
		if d := diff(many[i], got); d != "" {
			t.Errorf("imported many[%d] (-want +got):\n%s", i, d)
		}
	}
	if n, err := s.CountUsers(ctx, a.ID); err != nil || n != 4+148 {
		t.Errorf("CountUsers = %d, %v; want %d", n, err, 4+148)
	}

	// In a transaction that is then undone, nothing stays.
	err = s.InTx(ctx, func(tx store.Store) error {
		if _, err := tx.ImportUsers(ctx, []store.User{imported("gina")}); err != nil {
			return err
		}
		return errBoom
	})
	wantErr(t, "InTx(ImportUsers, abort)", err, errBoom)
	_, err = s.GetUser(ctx, a.ID, "gina")
	wantErr(t, "GetUser(undone import)", err, store.ErrNotFound)
}

func withAlias(u store.User, email string) store.User {
	u.AliasEmail = email
	return u
}
