package providerutil

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

type object struct{ id, name string }

var (
	errLost     = &transport.OutcomeUnknownError{Operation: "Create", Err: errors.New("connection reset")}
	errNotFound = errors.New("not found")
	errRefused  = &transport.APIError{Service: "T", Operation: "Create", StatusCode: 400, Code: "InvalidParameter"}
)

// fakeAPI is a cloud of objects whose create can be told to act and lose its answer.
type fakeAPI struct {
	objects            []object
	creates, finds     atomic.Int32
	reads              atomic.Int32
	createErrs         []error // per attempt; an error after acting when actBeforeErr
	actBeforeErr       bool
	findErr, readErr   error
	invisibleReads     int32
	blockCreateUntilCx bool
	// strangers appear (made by someone else) while a create is in flight.
	strangers []object
	// lagFinds: this many lookups after the first miss the newest object, as a lagging list does.
	lagFinds int32
	// cancelInCreate ends the operation's context while a create is in flight.
	cancelInCreate func()
	// adopted records what Read was told.
	adopted bool
	// complete: Read returns the create's answer as it is.
	complete bool
}

func (f *fakeAPI) creation() Creation[object] {
	return Creation[object]{
		What:         `thing "a"`,
		ResourceType: "test_thing",
		Create: func(ctx context.Context) (object, error) {
			n := int(f.creates.Add(1))
			f.objects = append(f.objects, f.strangers...)
			if f.blockCreateUntilCx {
				f.objects = append(f.objects, object{id: "id-1", name: "a"})
				<-ctx.Done()
				return object{}, &transport.InterruptedError{Operation: "Create", Sent: true, Err: ctx.Err()}
			}
			if f.cancelInCreate != nil {
				f.cancelInCreate()
			}
			if n <= len(f.createErrs) && f.createErrs[n-1] != nil {
				if f.actBeforeErr {
					f.objects = append(f.objects, object{id: "id-1", name: "a"})
				}
				return object{}, f.createErrs[n-1]
			}
			o := object{id: "id-new", name: "a"}
			f.objects = append(f.objects, o)
			return object{id: o.id}, nil
		},
		Find: func(ctx context.Context) ([]object, error) {
			n := f.finds.Add(1)
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			objects := f.objects
			if n > 1 && n <= 1+f.lagFinds && len(objects) > 0 {
				objects = objects[:len(objects)-1]
			}
			var out []object
			for _, o := range objects {
				if o.name == "a" {
					out = append(out, object{id: o.id})
				}
			}
			return out, f.findErr
		},
		ID: func(o object) string { return o.id },
		Read: func(ctx context.Context, obj object, adopted bool) (object, error) {
			f.adopted = adopted
			if !adopted && f.complete {
				return obj, nil
			}
			id := obj.id
			if err := ctx.Err(); err != nil {
				return object{}, err
			}
			if f.reads.Add(1) <= f.invisibleReads {
				return object{}, errNotFound
			}
			if f.readErr != nil {
				return object{}, f.readErr
			}
			for _, o := range f.objects {
				if o.id == id {
					return o, nil
				}
			}
			return object{}, errNotFound
		},
		NotFound:        func(err error) bool { return errors.Is(err, errNotFound) },
		ReadAfterCreate: ReadAfterCreate{MaxWait: 100 * time.Millisecond, FirstDelay: time.Millisecond},
		Backoff:         func(int) time.Duration { return time.Millisecond },
	}
}

func TestCreateAdoptingCreatesAndReadsBack(t *testing.T) {
	f := &fakeAPI{invisibleReads: 2}
	var diags diag.Diagnostics
	got, err := CreateAdopting(context.Background(), f.creation(), &diags)
	if err != nil || got.id != "id-new" || got.name != "a" || f.adopted || diags.WarningsCount() != 0 {
		t.Fatalf("CreateAdopting = %+v, %v, %v", got, err, diags)
	}
	if f.reads.Load() != 3 {
		t.Errorf("read back %d times, want 3 (twice not yet visible)", f.reads.Load())
	}
}

func TestCreateAdoptingAdoptsTheOneMatchOfALostCreate(t *testing.T) {
	f := &fakeAPI{createErrs: []error{errLost}, actBeforeErr: true}
	var diags diag.Diagnostics
	got, err := CreateAdopting(context.Background(), f.creation(), &diags)
	if err != nil || got.id != "id-1" || !f.adopted || got.name != "a" || f.creates.Load() != 1 || len(f.objects) != 1 {
		t.Fatalf("CreateAdopting = %+v, %v after %d creates, %d objects", got, err, f.creates.Load(), len(f.objects))
	}
	if diags.WarningsCount() != 1 || !strings.Contains(diags[0].Detail(), "id-1") {
		t.Errorf("diagnostics = %v; want one warning naming the adopted id", diags)
	}
}

func TestCreateAdoptingResendsWhenNothingWasCreated(t *testing.T) {
	f := &fakeAPI{createErrs: []error{errLost, errLost}}
	var diags diag.Diagnostics
	got, err := CreateAdopting(context.Background(), f.creation(), &diags)
	// One lookup before the first send, then repeated lookups after each unknown outcome.
	if err != nil || got.id != "id-new" || f.adopted || f.creates.Load() != 3 || f.finds.Load() < 5 || len(f.objects) != 1 {
		t.Fatalf("CreateAdopting = %+v, %v after %d creates and %d finds", got, err, f.creates.Load(), f.finds.Load())
	}
}

func TestCreateAdoptingPausesBetweenResends(t *testing.T) {
	f := &fakeAPI{createErrs: []error{errLost, errLost}}
	c := f.creation()
	var pauses []int
	c.Backoff = func(n int) time.Duration { pauses = append(pauses, n); return 20 * time.Millisecond }
	start := time.Now()
	if _, err := CreateAdopting(context.Background(), c, &diag.Diagnostics{}); err != nil {
		t.Fatal(err)
	}
	if len(pauses) != 2 || pauses[0] != 1 || pauses[1] != 2 || time.Since(start) < 40*time.Millisecond {
		t.Errorf("pauses %v in %s; want backoff(1) and backoff(2) honoured", pauses, time.Since(start))
	}
}

func TestCreateAdoptingStopsAfterTheResendLimit(t *testing.T) {
	f := &fakeAPI{createErrs: []error{errLost, errLost, errLost, errLost, errLost, errLost, errLost, errLost, errLost, errLost, errLost}}
	_, err := CreateAdopting(context.Background(), f.creation(), &diag.Diagnostics{})
	if !transport.IsOutcomeUnknown(err) || f.creates.Load() != maxCreateAttempts {
		t.Fatalf("CreateAdopting = %v after %d creates; want the unknown outcome after %d", err, f.creates.Load(), maxCreateAttempts)
	}
}

func TestCreateAdoptingLeavesSeveralMatchesToTheUser(t *testing.T) {
	f := &fakeAPI{createErrs: []error{errLost}, strangers: []object{{id: "id-a", name: "a"}, {id: "id-b", name: "a"}}}
	got, err := CreateAdopting(context.Background(), f.creation(), &diag.Diagnostics{})
	if err == nil || got.id != "" || !strings.Contains(err.Error(), "id-a, id-b") || !strings.Contains(err.Error(), "terraform import test_thing.<name> id-a") ||
		!strings.Contains(err.Error(), "to = test_thing.<name>") || f.creates.Load() != 1 {
		t.Fatalf("CreateAdopting = %+v, %v", got, err)
	}
}

// Authorship, not resemblance: a match that existed before the first send is never adopted,
// whatever the attempt's outcome; a lost create that made nothing is sent again.
func TestCreateAdoptingNeverAdoptsWhatExistedBefore(t *testing.T) {
	old := []object{{id: "id-old", name: "a"}}
	t.Run("nothing created", func(t *testing.T) {
		f := &fakeAPI{createErrs: []error{errLost}, objects: old}
		got, err := CreateAdopting(context.Background(), f.creation(), &diag.Diagnostics{})
		if err != nil || got.id != "id-new" || f.adopted || f.creates.Load() != 2 {
			t.Fatalf("CreateAdopting = %+v, %v after %d creates; want id-new created by the resend", got, err, f.creates.Load())
		}
	})
	t.Run("created", func(t *testing.T) {
		f := &fakeAPI{createErrs: []error{errLost}, actBeforeErr: true, objects: old}
		got, err := CreateAdopting(context.Background(), f.creation(), &diag.Diagnostics{})
		if err != nil || got.id != "id-1" || !f.adopted || f.creates.Load() != 1 {
			t.Fatalf("CreateAdopting = %+v, %v after %d creates; want id-1 adopted", got, err, f.creates.Load())
		}
	})
	t.Run("lookup before the send failed", func(t *testing.T) {
		f := &fakeAPI{createErrs: []error{errLost}, actBeforeErr: true}
		c := f.creation()
		find := c.Find
		c.Find = func(ctx context.Context) ([]object, error) {
			if f.finds.Load() == 0 {
				f.finds.Add(1)
				return nil, errors.New("list broke")
			}
			return find(ctx)
		}
		got, err := CreateAdopting(context.Background(), c, &diag.Diagnostics{})
		if err == nil || got.id != "" || !strings.Contains(err.Error(), "id-1") || !strings.Contains(err.Error(), "list broke") || f.creates.Load() != 1 {
			t.Fatalf("CreateAdopting = %+v, %v; want id-1 named, not adopted, no resend", got, err)
		}
	})
}

// A look-alike made by someone else while the API answered our create with its own 5xx: named,
// never adopted, never resent over.
func TestCreateAdoptingDoesNotTakeWhatAppearedDuringAnAPIError(t *testing.T) {
	api5xx := &transport.OutcomeUnknownError{Operation: "Create", Err: &transport.APIError{Service: "T", Operation: "Create", StatusCode: 503, Code: "InternalError", Temporary: true}}
	f := &fakeAPI{createErrs: []error{api5xx}, strangers: []object{{id: "id-stranger", name: "a"}}}
	var diags diag.Diagnostics
	got, err := CreateAdopting(context.Background(), f.creation(), &diags)
	if err == nil || got.id != "" || f.adopted || !strings.Contains(err.Error(), "id-stranger") || !strings.Contains(err.Error(), "was not taken") || f.creates.Load() != 1 || diags.WarningsCount() != 0 {
		t.Fatalf("CreateAdopting = %+v, %v after %d creates", got, err, f.creates.Load())
	}
}

// Absence needs proof: a lagging list that misses the new object once does not cause a resend.
func TestCreateAdoptingLooksAgainWhileTheListLags(t *testing.T) {
	f := &fakeAPI{createErrs: []error{errLost}, actBeforeErr: true, lagFinds: 2}
	got, err := CreateAdopting(context.Background(), f.creation(), &diag.Diagnostics{})
	if err != nil || got.id != "id-1" || !f.adopted || f.creates.Load() != 1 || len(f.objects) != 1 || f.finds.Load() != 4 {
		t.Fatalf("CreateAdopting = %+v, %v after %d creates, %d finds, %d objects", got, err, f.creates.Load(), f.finds.Load(), len(f.objects))
	}
}

// A create that cannot have acted (throttled to the end, stopped in the limiter) is never looked
// up after, and says it was not carried out.
func TestCreateAdoptingDoesNotLookUpWhatWasNeverSent(t *testing.T) {
	notSent := &transport.TimeoutError{Operation: "Create", Limit: time.Second, Attempts: 3, Err: &transport.APIError{Service: "T", Operation: "Create", Code: "RequestLimitExceeded", Throttled: true}}
	f := &fakeAPI{createErrs: []error{notSent}, strangers: []object{{id: "id-stranger", name: "a"}}}
	got, err := CreateAdopting(context.Background(), f.creation(), &diag.Diagnostics{})
	if got.id != "" || !strings.Contains(err.Error(), "was not carried out") || !strings.Contains(err.Error(), "RequestLimitExceeded") || f.finds.Load() != 1 || f.creates.Load() != 1 {
		t.Fatalf("CreateAdopting = %+v, %v after %d finds", got, err, f.finds.Load())
	}
}

func TestCreateAdoptingReportsAFailedLookup(t *testing.T) {
	f := &fakeAPI{createErrs: []error{errLost}, findErr: errors.New("lookup broke")}
	_, err := CreateAdopting(context.Background(), f.creation(), &diag.Diagnostics{})
	if !transport.IsOutcomeUnknown(err) || !strings.Contains(err.Error(), "lookup broke") || f.creates.Load() != 1 {
		t.Fatalf("CreateAdopting = %v", err)
	}
}

func TestCreateAdoptingDoesNotLookUpAfterARefusal(t *testing.T) {
	f := &fakeAPI{createErrs: []error{errRefused}}
	_, err := CreateAdopting(context.Background(), f.creation(), &diag.Diagnostics{})
	if !errors.Is(err, errRefused) || f.finds.Load() != 1 || f.creates.Load() != 1 { // the lookup before sending
		t.Fatalf("CreateAdopting = %v after %d finds", err, f.finds.Load())
	}
}

func TestCreateAdoptingAdoptsABadAnswer(t *testing.T) {
	bad := &transport.BadAnswerError{Service: "T", Operation: "Create", StatusCode: 200, Reason: "the body is empty"}
	f := &fakeAPI{createErrs: []error{bad}, actBeforeErr: true}
	got, err := CreateAdopting(context.Background(), f.creation(), &diag.Diagnostics{})
	if err != nil || got.id != "id-1" || !f.adopted || f.creates.Load() != 1 {
		t.Fatalf("CreateAdopting = %+v, %v after %d creates", got, err, f.creates.Load())
	}
}

// Ctrl-C while the create is in flight: the project is found and read back on a context that
// outlives the interrupt, so the state is complete, not tainted.
func TestCreateAdoptingCompletesAfterAnInterrupt(t *testing.T) {
	f := &fakeAPI{blockCreateUntilCx: true}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	got, err := CreateAdopting(ctx, f.creation(), &diag.Diagnostics{})
	if err != nil || got.id != "id-1" || got.name != "a" || !f.adopted || f.reads.Load() != 1 {
		t.Fatalf("CreateAdopting = %+v, %v", got, err)
	}
}

func TestCreateAdoptingKeepsTheIDWhenTheReadBackFails(t *testing.T) {
	f := &fakeAPI{readErr: errors.New("read broke")}
	got, err := CreateAdopting(context.Background(), f.creation(), &diag.Diagnostics{})
	partial, ok := AsPartialCreate(err)
	if !ok || partial.ID != "id-new" || got.id != "id-new" || !strings.Contains(err.Error(), "read broke") || !strings.Contains(err.Error(), "id-new") {
		t.Fatalf("CreateAdopting = %+v, %v; want the id kept with the read error", got, err)
	}
}

func TestCreateAdoptingAfterATimeoutWithNothingCreatedGivesUp(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	f := &fakeAPI{createErrs: []error{&transport.TimeoutError{Operation: "Create", Limit: time.Second, Sent: true, Err: context.DeadlineExceeded}}, cancelInCreate: cancel}
	_, err := CreateAdopting(ctx, f.creation(), &diag.Diagnostics{})
	if !transport.IsTimeout(err) || f.creates.Load() != 1 || f.finds.Load() < 3 || !strings.Contains(err.Error(), "applying again is safe") {
		t.Fatalf("CreateAdopting = %v after %d creates, %d finds; want repeated lookups, no resend", err, f.creates.Load(), f.finds.Load())
	}
}

func TestCreateAdoptingWithoutReadKeepsTheAnswer(t *testing.T) {
	f := &fakeAPI{}
	c := f.creation()
	c.Read = nil
	got, err := CreateAdopting(context.Background(), c, &diag.Diagnostics{})
	if err != nil || got.id != "id-new" || f.reads.Load() != 0 {
		t.Fatalf("CreateAdopting = %+v, %v after %d reads", got, err, f.reads.Load())
	}
}

func TestOutliveEndsGraceAfterItsParent(t *testing.T) {
	parent, cancelParent := context.WithCancel(context.Background())
	ctx, cancel := Outlive(parent, 30*time.Millisecond)
	defer cancel()
	cancelParent()
	if ctx.Err() != nil {
		t.Fatal("ended with its parent")
	}
	select {
	case <-ctx.Done():
	case <-time.After(2 * time.Second):
		t.Fatal("did not end after the grace")
	}
	// Cancelled explicitly, it ends at once even while the parent lives.
	ctx2, cancel2 := Outlive(context.Background(), time.Hour)
	cancel2()
	if ctx2.Err() == nil {
		t.Fatal("cancel did not end it")
	}
}

func TestImportInstructionsShowBothForms(t *testing.T) {
	got := ImportInstructions("yunxiao_project", "org/abc")
	for _, want := range []string{"terraform import yunxiao_project.<name> org/abc", "to = yunxiao_project.<name>", `id = "org/abc"`} {
		if !strings.Contains(got, want) {
			t.Errorf("ImportInstructions lacks %q:\n%s", want, got)
		}
	}
}

func TestCreateAdoptingKeepsACompleteAnswerWithoutReadingBack(t *testing.T) {
	for _, tc := range []struct {
		name      string
		complete  bool
		lost      bool
		wantReads int32
	}{
		{name: "complete answer", complete: true, wantReads: 0},
		{name: "incomplete answer", complete: false, wantReads: 1},
		{name: "adopted after a lost answer", complete: true, lost: true, wantReads: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeAPI{}
			if tc.lost {
				f.createErrs, f.actBeforeErr = []error{errLost}, true
			}
			f.complete = tc.complete
			got, err := CreateAdopting(context.Background(), f.creation(), &diag.Diagnostics{})
			if err != nil || got.id == "" || f.reads.Load() != tc.wantReads {
				t.Fatalf("CreateAdopting = %+v, %v after %d reads; want %d reads", got, err, f.reads.Load(), tc.wantReads)
			}
			if tc.wantReads > 0 && got.name != "a" {
				t.Errorf("object %+v, want the one read back", got)
			}
		})
	}
}

// fakePrivate is a resource's private state.
type fakePrivate map[string][]byte

func (p fakePrivate) GetKey(_ context.Context, key string) ([]byte, diag.Diagnostics) {
	return p[key], nil
}

func (p fakePrivate) SetKey(_ context.Context, key string, value []byte) diag.Diagnostics {
	p[key] = value
	return nil
}

func TestReadRecentlyCreatedWaitsOnlyForANewObject(t *testing.T) {
	ctx := context.Background()
	wait := ReadAfterCreate{MaxWait: 2 * time.Second, FirstDelay: time.Millisecond}
	for _, tc := range []struct {
		name      string
		created   time.Time // zero: never marked
		legacy    bool      // marked as 0.1.0 to 0.2.0 did
		wantReads int32
		wantErr   bool
	}{
		{name: "created moments ago", created: time.Now(), wantReads: 3},
		{name: "never marked", wantReads: 1, wantErr: true},
		{name: "created long ago", created: time.Now().Add(-time.Hour), wantReads: 1, wantErr: true},
		{name: "created moments ago, 0.2.0's mark", created: time.Now(), legacy: true, wantReads: 3},
		{name: "created long ago, 0.2.0's mark", created: time.Now().Add(-time.Hour), legacy: true, wantReads: 1, wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			private := fakePrivate{}
			switch {
			case tc.legacy:
				private[legacyCreatedKey] = []byte(`"` + tc.created.UTC().Format(time.RFC3339Nano) + `"`)
			case !tc.created.IsZero():
				MarkCreated(ctx, private, tc.created)
			}
			var reads atomic.Int32
			_, err := ReadRecentlyCreated(ctx, private, wait, func(err error) bool { return errors.Is(err, errNotFound) },
				func(context.Context) (object, error) {
					if reads.Add(1) < 3 {
						return object{}, errNotFound
					}
					return object{id: "id-1"}, nil
				})
			if (err != nil) != tc.wantErr || reads.Load() != tc.wantReads {
				t.Errorf("ReadRecentlyCreated: %v after %d reads; want error %v after %d", err, reads.Load(), tc.wantErr, tc.wantReads)
			}
		})
	}
}

// Running out of time while an object is still invisible is no proof that it does not exist:
// the error must not read as "not found", or a refresh would drop a live object.
func TestWaitVisibleEndingWithItsContextIsNotNotFound(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := WaitVisible(ctx, ReadAfterCreate{MaxWait: time.Minute, FirstDelay: 10 * time.Millisecond}, func(err error) bool { return errors.Is(err, errNotFound) },
		func(context.Context) (object, error) { return object{}, errNotFound })
	if err == nil || errors.Is(err, errNotFound) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("WaitVisible = %v, want the context's error, not not-found", err)
	}
}

// A mark from the future (another machine's clock) waits no longer than the window.
func TestReadRecentlyCreatedWaitsAtMostTheWindow(t *testing.T) {
	ctx := context.Background()
	private := fakePrivate{}
	MarkCreated(ctx, private, time.Now().Add(time.Hour))
	start := time.Now()
	_, err := ReadRecentlyCreated(ctx, private, ReadAfterCreate{MaxWait: 300 * time.Millisecond, FirstDelay: 10 * time.Millisecond},
		func(err error) bool { return errors.Is(err, errNotFound) }, func(context.Context) (object, error) { return object{}, errNotFound })
	if !errors.Is(err, errNotFound) || time.Since(start) > 2*time.Second {
		t.Fatalf("ReadRecentlyCreated = %v after %s; want not found within the 300ms window", err, time.Since(start))
	}
}

// Where Find looks up by a unique key, a new object under the key that differs from what the
// create sends (Matches false) is someone else's: named, not adopted, not resent over. One that
// matches is adopted.
func TestCreateAdoptingDoesNotTakeANewObjectThatDiffers(t *testing.T) {
	for _, tc := range []struct {
		name    string
		matches bool
	}{{"differs", false}, {"matches", true}} {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeAPI{createErrs: []error{errLost}, actBeforeErr: true}
			c := f.creation()
			c.Matches = func(object) bool { return tc.matches }
			var diags diag.Diagnostics
			got, err := CreateAdopting(context.Background(), c, &diags)
			if tc.matches {
				if err != nil || got.id != "id-1" || !f.adopted || f.creates.Load() != 1 || diags.WarningsCount() != 1 {
					t.Fatalf("CreateAdopting = %+v, %v after %d creates; want id-1 adopted with a warning", got, err, f.creates.Load())
				}
				return
			}
			if err == nil || got.id != "" || f.adopted || f.creates.Load() != 1 || diags.WarningsCount() != 0 ||
				!strings.Contains(err.Error(), "id-1") || !strings.Contains(err.Error(), "differs from what this create sends") ||
				!strings.Contains(err.Error(), "terraform import test_thing.<name> id-1") {
				t.Fatalf("CreateAdopting = %+v, %v after %d creates, %d warnings; want id-1 named, not adopted, no resend", got, err, f.creates.Load(), diags.WarningsCount())
			}
		})
	}
}

// The mark is a few bytes (Terraform writes the state again after every resource it changes)
// and never earlier than the real time of creation.
func TestMarkCreatedIsShortAndNeverEarly(t *testing.T) {
	ctx := context.Background()
	private := fakePrivate{}
	at := time.Date(2026, 12, 6, 3, 0, 0, 500, time.UTC)
	MarkCreated(ctx, private, at)
	if len(private) != 1 || len(private[createdKey]) > 12 {
		t.Fatalf("mark %q, want one key of at most 12 bytes", private)
	}
	if got := createdAt(ctx, private); got.Before(at) || got.Sub(at) > time.Second {
		t.Errorf("createdAt = %s, want within a second after %s", got, at)
	}
}
