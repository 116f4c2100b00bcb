/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "dly-error.h"
#include "dly-ledger.h"

#define SCHEMA_VERSION 1

/* What the worker thread uses. It has its own reference count because the ledger may be
 * disposed on the worker thread itself (when a task's last reference drops there). */
typedef struct
{
  gatomicrefcount ref_count;
  char           *path;
  GAsyncQueue    *queue;   /* of Work */
  sqlite3        *db;      /* touched only by the worker thread */
} Worker;

struct _DlyLedger
{
  GObject  parent_instance;

  Worker  *worker;
  GThread *thread;
};

G_DEFINE_FINAL_TYPE (DlyLedger, dly_ledger, G_TYPE_OBJECT)

typedef enum
{
  WORK_OPEN,
  WORK_SAVE,
  WORK_TRANSITION,
  WORK_LOAD_ALL,
  WORK_LOAD_ONE,
  WORK_REMOVE,
  WORK_QUIT,
} WorkKind;

/* A job's fields copied on the main thread, so the worker never touches a live DlyJob. */
typedef struct
{
  char   *id;
  gint64  created_at;
  gint64  updated_at;
  gint64  started_at;
  gint64  finished_at;
  char   *dialect;
  char   *base_url;
  char   *profile;
  char   *api_key_env;
  char   *request_json;
  char   *output_path;
  char   *state;
  double  progress;
  char   *remote_id;
  char   *result_uri;
  char   *message;
  int     error_code;
  guint   submit_count;
} Snapshot;

typedef struct
{
  WorkKind  kind;
  GTask    *task;       /* owned; NULL for QUIT */
  Snapshot *snapshot;
  char     *id;
  char     *from_state;
} Work;

static void
snapshot_free (Snapshot *snapshot)
{
  if (snapshot == NULL)
    return;
  g_free (snapshot->id);
  g_free (snapshot->dialect);
  g_free (snapshot->base_url);
  g_free (snapshot->profile);
  g_free (snapshot->api_key_env);
  g_free (snapshot->request_json);
  g_free (snapshot->output_path);
  g_free (snapshot->state);
  g_free (snapshot->remote_id);
  g_free (snapshot->result_uri);
  g_free (snapshot->message);
  g_free (snapshot);
}

static Snapshot *
snapshot_new (DlyJob *job)
{
  Snapshot *snapshot = g_new0 (Snapshot, 1);
  g_autoptr(JsonNode) request = dly_request_to_json (dly_job_get_request (job));

  snapshot->id = g_strdup (dly_job_get_id (job));
  snapshot->created_at = dly_job_get_created_at (job);
  snapshot->updated_at = g_get_real_time ();
  snapshot->started_at = dly_job_get_started_at (job);
  snapshot->finished_at = dly_job_get_finished_at (job);
  snapshot->dialect = g_strdup (dly_job_get_dialect (job));
  snapshot->base_url = g_strdup (dly_job_get_base_url (job));
  snapshot->profile = g_strdup (dly_job_get_profile (job));
  snapshot->api_key_env = g_strdup (dly_job_get_api_key_env (job));
  snapshot->request_json = json_to_string (request, FALSE);
  snapshot->output_path = g_strdup (dly_job_get_output_path (job));
  snapshot->state = g_strdup (dly_job_state_to_string (dly_job_get_state (job)));
  snapshot->progress = dly_job_get_progress (job);
  snapshot->remote_id = g_strdup (dly_job_get_remote_id (job));
  snapshot->result_uri = g_strdup (dly_job_get_result_uri (job));
  snapshot->message = g_strdup (dly_job_get_message (job));
  snapshot->error_code = dly_job_get_error_code (job);
  snapshot->submit_count = dly_job_get_submit_count (job);
  return snapshot;
}

static void
work_free (Work *work)
{
  g_clear_object (&work->task);
  snapshot_free (work->snapshot);
  g_free (work->id);
  g_free (work->from_state);
  g_free (work);
}

/* Worker thread */

static gboolean
set_sqlite_error (sqlite3    *db,
                  const char *what,
                  GError    **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The job ledger could not %s: %s"), what,
               db ? sqlite3_errmsg (db) : "out of memory");
  return FALSE;
}

static gboolean
exec_sql (sqlite3    *db,
          const char *sql,
          GError    **error)
{
  char *message = NULL;
  int rc;

  /* Switching to WAL takes a lock that the busy timeout does not wait for when two
   * processes create the ledger at once: wait here instead (this is the worker thread). */
  for (guint attempt = 0;; attempt++)
    {
      rc = sqlite3_exec (db, sql, NULL, NULL, &message);
      if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || attempt >= 200)
        break;
      sqlite3_free (message);
      message = NULL;
      g_usleep (50 * 1000);
    }
  if (rc != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The job ledger could not be prepared: %s"),
                   message ? message : "?");
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
worker_open (Worker    *self,
             GError   **error)
{
  g_autofree char *dir = g_path_get_dirname (self->path);
  int version = 0;
  sqlite3_stmt *stmt = NULL;

  if (self->db != NULL)
    return TRUE;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot create the folder %s for the job ledger: %s"), dir, g_strerror (saved));
      return FALSE;
    }

  if (sqlite3_open_v2 (self->path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      set_sqlite_error (self->db, _("be opened"), error);
      g_clear_pointer (&self->db, sqlite3_close);
      return FALSE;
    }
  /* The app and the CLI share the file: wait for each other rather than fail. */
  sqlite3_busy_timeout (self->db, 10000);

  if (!exec_sql (self->db,
                 "PRAGMA journal_mode=WAL;"
                 "PRAGMA synchronous=FULL;"
                 "CREATE TABLE IF NOT EXISTS jobs ("
                 "  id TEXT PRIMARY KEY,"
                 "  created_at INTEGER NOT NULL,"
                 "  updated_at INTEGER NOT NULL,"
                 "  started_at INTEGER NOT NULL DEFAULT 0,"
                 "  finished_at INTEGER NOT NULL DEFAULT 0,"
                 "  dialect TEXT NOT NULL,"
                 "  base_url TEXT NOT NULL,"
                 "  profile TEXT,"
                 "  api_key_env TEXT,"
                 "  request TEXT NOT NULL,"
                 "  output_path TEXT,"
                 "  state TEXT NOT NULL,"
                 "  progress REAL NOT NULL DEFAULT -1,"
                 "  remote_id TEXT,"
                 "  result_uri TEXT,"
                 "  message TEXT,"
                 "  error_code INTEGER NOT NULL DEFAULT -1,"
                 "  submit_count INTEGER NOT NULL DEFAULT 0);"
                 "CREATE INDEX IF NOT EXISTS jobs_by_creation ON jobs (created_at DESC);",
                 error))
    {
      g_clear_pointer (&self->db, sqlite3_close);
      return FALSE;
    }

  if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  if (version > SCHEMA_VERSION)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("The job ledger %s was written by a newer Dailies; update Dailies to use it"),
                   self->path);
      g_clear_pointer (&self->db, sqlite3_close);
      return FALSE;
    }
  if (version < SCHEMA_VERSION)
    exec_sql (self->db, "PRAGMA user_version = 1", NULL);
  return TRUE;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static gboolean
worker_save (Worker         *self,
             const Snapshot *s,
             GError        **error)
{
  static const char sql[] =
    "INSERT INTO jobs (id, created_at, updated_at, started_at, finished_at, dialect, base_url,"
    " profile, api_key_env, request, output_path, state, progress, remote_id, result_uri,"
    " message, error_code, submit_count) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,"
    "?14,?15,?16,?17,?18) ON CONFLICT(id) DO UPDATE SET updated_at=?3, started_at=?4,"
    " finished_at=?5, output_path=?11, state=?12, progress=?13, remote_id=?14, result_uri=?15,"
    " message=?16, error_code=?17, submit_count=?18"
    /* A cancel from another process is final: a process still driving the job must not
     * write it back to running. It learns of the cancel at its next ledger check. */
    " WHERE NOT (jobs.state = 'cancelled'"
    "            AND excluded.state IN ('queued','submitting','waiting','running','downloading'))";
  sqlite3_stmt *stmt = NULL;
  gboolean ok;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return set_sqlite_error (self->db, _("save a job"), error);

  bind_text (stmt, 1, s->id);
  sqlite3_bind_int64 (stmt, 2, s->created_at);
  sqlite3_bind_int64 (stmt, 3, s->updated_at);
  sqlite3_bind_int64 (stmt, 4, s->started_at);
  sqlite3_bind_int64 (stmt, 5, s->finished_at);
  bind_text (stmt, 6, s->dialect);
  bind_text (stmt, 7, s->base_url);
  bind_text (stmt, 8, s->profile);
  bind_text (stmt, 9, s->api_key_env);
  bind_text (stmt, 10, s->request_json);
  bind_text (stmt, 11, s->output_path);
  bind_text (stmt, 12, s->state);
  sqlite3_bind_double (stmt, 13, s->progress);
  bind_text (stmt, 14, s->remote_id);
  bind_text (stmt, 15, s->result_uri);
  bind_text (stmt, 16, s->message);
  sqlite3_bind_int (stmt, 17, s->error_code);
  sqlite3_bind_int (stmt, 18, (int) s->submit_count);

  ok = sqlite3_step (stmt) == SQLITE_DONE;
  if (!ok)
    set_sqlite_error (self->db, _("save a job"), error);
  sqlite3_finalize (stmt);
  return ok;
}

/* Returns 1 if moved, 0 if the row was not in @from, -1 on error. */
static int
worker_transition (Worker         *self,
                   const Snapshot *s,
                   const char     *from,
                   GError        **error)
{
  sqlite3_stmt *stmt = NULL;
  int state_matches = -1;

  if (!exec_sql (self->db, "BEGIN IMMEDIATE", error))
    return -1;

  if (sqlite3_prepare_v2 (self->db, "SELECT state FROM jobs WHERE id = ?1", -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (self->db, _("read a job"), error);
      exec_sql (self->db, "ROLLBACK", NULL);
      return -1;
    }
  bind_text (stmt, 1, s->id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    state_matches = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), from) == 0;
  else
    state_matches = 0;
  sqlite3_finalize (stmt);

  if (state_matches != 1)
    {
      exec_sql (self->db, "ROLLBACK", NULL);
      return 0;
    }
  if (!worker_save (self, s, error))
    {
      exec_sql (self->db, "ROLLBACK", NULL);
      return -1;
    }
  if (!exec_sql (self->db, "COMMIT", error))
    return -1;
  return 1;
}

static const char select_columns[] =
  "SELECT id, created_at, started_at, finished_at, dialect, base_url, profile, api_key_env,"
  " request, output_path, state, progress, remote_id, result_uri, message, error_code,"
  " submit_count FROM jobs";

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

/* Jobs are built here, off the main thread; nobody has connected to them yet. */
static DlyJob *
job_from_row (sqlite3_stmt *stmt)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(DlyRequest) request = NULL;
  DlyJobState state = DLY_JOB_STATE_UNKNOWN;
  DlyJob *job;

  node = json_from_string (column_text (stmt, 8), NULL);
  request = node ? dly_request_new_from_json (node, NULL) : NULL;
  if (request == NULL)
    request = dly_request_new ();

  job = dly_job_new (column_text (stmt, 0), request, column_text (stmt, 4), column_text (stmt, 5),
                     column_text (stmt, 6), column_text (stmt, 7), column_text (stmt, 9),
                     sqlite3_column_int64 (stmt, 1));
  dly_job_set_started_at (job, sqlite3_column_int64 (stmt, 2));
  dly_job_set_finished_at (job, sqlite3_column_int64 (stmt, 3));
  dly_job_state_from_string (column_text (stmt, 10), &state);
  dly_job_set_state (job, state);
  dly_job_set_progress (job, sqlite3_column_double (stmt, 11));
  dly_job_set_remote_id (job, column_text (stmt, 12));
  dly_job_set_result_uri (job, column_text (stmt, 13));
  dly_job_set_message (job, column_text (stmt, 14));
  dly_job_set_error_code (job, sqlite3_column_int (stmt, 15));
  dly_job_set_submit_count (job, (guint) sqlite3_column_int (stmt, 16));
  return job;
}

static GPtrArray *
worker_load (Worker     *self,
             const char *id,
             GError    **error)
{
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (id != NULL)
    sql = g_strconcat (select_columns, " WHERE id = ?1", NULL);
  else
    sql = g_strconcat (select_columns, " ORDER BY created_at DESC, rowid DESC", NULL);

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (self->db, _("read the jobs"), error);
      return NULL;
    }
  if (id != NULL)
    bind_text (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (jobs, job_from_row (stmt));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self->db, _("read the jobs"), error);
      return NULL;
    }
  return g_steal_pointer (&jobs);
}

static gboolean
worker_remove (Worker     *self,
               const char *id,
               GError    **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok;

  if (sqlite3_prepare_v2 (self->db, "DELETE FROM jobs WHERE id = ?1", -1, &stmt, NULL) != SQLITE_OK)
    return set_sqlite_error (self->db, _("remove a job"), error);
  bind_text (stmt, 1, id);
  ok = sqlite3_step (stmt) == SQLITE_DONE;
  if (!ok)
    set_sqlite_error (self->db, _("remove a job"), error);
  sqlite3_finalize (stmt);
  return ok;
}

static Worker *
worker_ref (Worker *worker)
{
  g_atomic_ref_count_inc (&worker->ref_count);
  return worker;
}

static void
worker_unref (Worker *worker)
{
  if (!g_atomic_ref_count_dec (&worker->ref_count))
    return;
  g_clear_pointer (&worker->db, sqlite3_close);
  g_async_queue_unref (worker->queue);
  g_free (worker->path);
  g_free (worker);
}

/* The ledger's thread reads the history and writes states in the background: it yields
 * the CPU to the window and the display server, so that a long history loading at start-up
 * does not slow the first frames down. Linux gives each thread its own nice value; elsewhere
 * the thread keeps the process's priority. */
static void
lower_thread_priority (void)
{
#ifdef __linux__
  if (setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), 10) != 0)
    g_debug ("The ledger thread keeps its priority: %s", g_strerror (errno));
#endif
}

static gpointer
worker_main (gpointer data)
{
  Worker *self = data;

  lower_thread_priority ();
  for (;;)
    {
      Work *work = g_async_queue_pop (self->queue);
      GError *error = NULL;

      if (work->kind == WORK_QUIT)
        {
          work_free (work);
          break;
        }

      if (work->kind != WORK_OPEN && self->db == NULL && !worker_open (self, &error))
        {
          g_task_return_error (work->task, error);
          work_free (work);
          continue;
        }

      switch (work->kind)
        {
        case WORK_OPEN:
          if (worker_open (self, &error))
            g_task_return_boolean (work->task, TRUE);
          else
            g_task_return_error (work->task, error);
          break;
        case WORK_SAVE:
          if (worker_save (self, work->snapshot, &error))
            g_task_return_boolean (work->task, TRUE);
          else
            g_task_return_error (work->task, error);
          break;
        case WORK_TRANSITION:
          {
            int moved = worker_transition (self, work->snapshot, work->from_state, &error);

            if (moved < 0)
              g_task_return_error (work->task, error);
            else
              g_task_return_boolean (work->task, moved == 1);
            break;
          }
        case WORK_LOAD_ALL:
        case WORK_LOAD_ONE:
          {
            GPtrArray *jobs = worker_load (self, work->id, &error);

            if (jobs == NULL)
              g_task_return_error (work->task, error);
            else
              g_task_return_pointer (work->task, jobs, (GDestroyNotify) g_ptr_array_unref);
            break;
          }
        case WORK_REMOVE:
          if (worker_remove (self, work->id, &error))
            g_task_return_boolean (work->task, TRUE);
          else
            g_task_return_error (work->task, error);
          break;
        case WORK_QUIT:
        default:
          g_assert_not_reached ();
        }
      work_free (work);
    }

  g_clear_pointer (&self->db, sqlite3_close);
  worker_unref (self);
  return NULL;
}

/* Main thread */

static void
dly_ledger_dispose (GObject *object)
{
  DlyLedger *self = DLY_LEDGER (object);

  if (self->thread != NULL)
    {
      Work *quit = g_new0 (Work, 1);

      /* Work queued before this still completes: the queue is FIFO. */
      quit->kind = WORK_QUIT;
      g_async_queue_push (self->worker->queue, quit);
      if (g_thread_self () == self->thread)
        g_thread_unref (g_steal_pointer (&self->thread));
      else
        g_thread_join (g_steal_pointer (&self->thread));
    }

  G_OBJECT_CLASS (dly_ledger_parent_class)->dispose (object);
}

static void
dly_ledger_finalize (GObject *object)
{
  DlyLedger *self = DLY_LEDGER (object);

  g_clear_pointer (&self->worker, worker_unref);

  G_OBJECT_CLASS (dly_ledger_parent_class)->finalize (object);
}

static void
dly_ledger_class_init (DlyLedgerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dly_ledger_dispose;
  object_class->finalize = dly_ledger_finalize;
}

static void
dly_ledger_init (DlyLedger *self)
{
  self->worker = g_new0 (Worker, 1);
  g_atomic_ref_count_init (&self->worker->ref_count);
  self->worker->queue = g_async_queue_new ();
}

char *
dly_ledger_get_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "dailies", "ledger.sqlite", NULL);
}

DlyLedger *
dly_ledger_new (const char *path)
{
  DlyLedger *self = g_object_new (DLY_TYPE_LEDGER, NULL);

  self->worker->path = path ? g_strdup (path) : dly_ledger_get_default_path ();
  return self;
}

const char *
dly_ledger_get_path (DlyLedger *self)
{
  g_return_val_if_fail (DLY_IS_LEDGER (self), NULL);
  return self->worker->path;
}

static void
queue_work (DlyLedger *self,
            Work      *work)
{
  /* The thread starts with the first piece of work, so merely creating a ledger is free. */
  if (self->thread == NULL)
    self->thread = g_thread_new ("dailies-ledger", worker_main, worker_ref (self->worker));
  g_async_queue_push (self->worker->queue, work);
}

static Work *
work_new (DlyLedger          *self,
          WorkKind            kind,
          gpointer            source_tag,
          GCancellable       *cancellable,
          GAsyncReadyCallback callback,
          gpointer            user_data)
{
  Work *work = g_new0 (Work, 1);

  work->kind = kind;
  work->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (work->task, source_tag);
  /* The worker must not return a cancelled error for a write that did reach the disk. */
  g_task_set_check_cancellable (work->task, FALSE);
  return work;
}

void
dly_ledger_open_async (DlyLedger          *self,
                       GCancellable       *cancellable,
                       GAsyncReadyCallback callback,
                       gpointer            user_data)
{
  g_return_if_fail (DLY_IS_LEDGER (self));
  queue_work (self, work_new (self, WORK_OPEN, dly_ledger_open_async, cancellable, callback, user_data));
}

gboolean
dly_ledger_open_finish (DlyLedger    *self,
                        GAsyncResult *result,
                        GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
dly_ledger_save_async (DlyLedger          *self,
                       DlyJob             *job,
                       GCancellable       *cancellable,
                       GAsyncReadyCallback callback,
                       gpointer            user_data)
{
  Work *work;

  g_return_if_fail (DLY_IS_LEDGER (self));
  g_return_if_fail (DLY_IS_JOB (job));

  work = work_new (self, WORK_SAVE, dly_ledger_save_async, cancellable, callback, user_data);
  work->snapshot = snapshot_new (job);
  queue_work (self, work);
}

gboolean
dly_ledger_save_finish (DlyLedger    *self,
                        GAsyncResult *result,
                        GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
dly_ledger_transition_async (DlyLedger          *self,
                             DlyJob             *job,
                             DlyJobState         from,
                             DlyJobState         to,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  Work *work;

  g_return_if_fail (DLY_IS_LEDGER (self));
  g_return_if_fail (DLY_IS_JOB (job));

  work = work_new (self, WORK_TRANSITION, dly_ledger_transition_async, cancellable, callback, user_data);
  work->snapshot = snapshot_new (job);
  g_free (work->snapshot->state);
  work->snapshot->state = g_strdup (dly_job_state_to_string (to));
  work->from_state = g_strdup (dly_job_state_to_string (from));
  queue_work (self, work);
}

gboolean
dly_ledger_transition_finish (DlyLedger    *self,
                              GAsyncResult *result,
                              GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
dly_ledger_load_async (DlyLedger          *self,
                       GCancellable       *cancellable,
                       GAsyncReadyCallback callback,
                       gpointer            user_data)
{
  g_return_if_fail (DLY_IS_LEDGER (self));
  queue_work (self, work_new (self, WORK_LOAD_ALL, dly_ledger_load_async, cancellable, callback, user_data));
}

GPtrArray *
dly_ledger_load_finish (DlyLedger    *self,
                        GAsyncResult *result,
                        GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
dly_ledger_load_job_async (DlyLedger          *self,
                           const char         *id,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  Work *work;

  g_return_if_fail (DLY_IS_LEDGER (self));
  g_return_if_fail (id != NULL);

  work = work_new (self, WORK_LOAD_ONE, dly_ledger_load_job_async, cancellable, callback, user_data);
  work->id = g_strdup (id);
  queue_work (self, work);
}

DlyJob *
dly_ledger_load_job_finish (DlyLedger    *self,
                            GAsyncResult *result,
                            GError      **error)
{
  g_autoptr(GPtrArray) jobs = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  jobs = g_task_propagate_pointer (G_TASK (result), error);
  if (jobs == NULL || jobs->len == 0)
    return NULL;
  return g_object_ref (g_ptr_array_index (jobs, 0));
}

void
dly_ledger_remove_async (DlyLedger          *self,
                         const char         *id,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data)
{
  Work *work;

  g_return_if_fail (DLY_IS_LEDGER (self));
  work = work_new (self, WORK_REMOVE, dly_ledger_remove_async, cancellable, callback, user_data);
  work->id = g_strdup (id);
  queue_work (self, work);
}

gboolean
dly_ledger_remove_finish (DlyLedger    *self,
                          GAsyncResult *result,
                          GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
