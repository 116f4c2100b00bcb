/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The composer: prompt, backend, inputs, parameters and takes, and the one question that
 * matters before anything is sent: would this request be valid? Everything that can be
 * checked without the network is checked on every change, so that Generate is only ever
 * enabled for a request the backend will take, and otherwise says why not. */
#define G_LOG_DOMAIN "dailies-app"

#include "config.h"

#include <glib/gi18n.h>

#include "dly-composer.h"
#include "dly-error.h"
#include "dly-input-picker.h"
#include "dly-param-panel.h"
#include "dly-wrap-layout.h"

/* Settings are written this long after the last change, not on every keystroke. */
#define SAVE_DELAY_MS 500

struct _DlyComposer
{
  GtkWidget          parent_instance;

  DlyProfileStore   *store;            /* owned */
  SoupSession       *session;          /* owned */
  GSettings         *settings;         /* owned */

  DlyProfile        *profile;          /* owned: the selected profile */
  DlyBackend        *spec_backend;     /* owned: key-less, for the parameters and the mode */
  char              *spec_error;       /* why the profile makes no backend, or NULL */
  DlyBackend        *backend;          /* owned: with its key, once looked up */
  char              *backend_error;    /* why the key could not be had, or NULL */
  GCancellable      *backend_cancellable; /* owned: key lookup and health check */

  DlyComposerHealth  health;
  char              *health_message;

  gboolean           can_generate;
  char              *blocked_reason;
  GtkWidget         *blocker;          /* borrowed: the part to fix, or NULL */
  gboolean           has_mode;
  DlyMode            mode;

  char              *wanted_profile;   /* to select once the store has it */
  JsonObject        *pending_changes;  /* parameters from the settings, for pending_for */
  char              *pending_for;      /* the profile the settings' parameters belong to */
  GHashTable        *profile_changes;  /* profile name → JsonObject: values this session */
  DlyRequest        *loras;            /* owned: the LoRAs a loaded template carried */
  guint              save_id;
  guint              syncing;          /* > 0 while the profile row is changed by code */

  /* Template children */
  GtkScrolledWindow    *scroller;
  GtkTextView          *prompt_view;
  GtkTextBuffer        *prompt_buffer;
  GtkLabel             *placeholder_label;
  GtkLabel             *count_label;
  AdwExpanderRow       *guide_row;
  gboolean              guide_built;
  AdwEntryRow          *negative_row;
  AdwPreferencesGroup  *backend_group;
  GtkButton            *manage_button;
  AdwComboRow          *profile_row;
  AdwActionRow         *health_row;
  GtkStack             *health_stack;
  GtkImage             *health_icon;
  GtkSpinner           *health_spinner;
  AdwActionRow         *empty_row;
  AdwPreferencesGroup  *inputs_group;
  AdwActionRow         *mode_row;
  GtkLabel             *mode_label;
  DlyInputPicker       *image_picker;
  DlyInputPicker       *audio_picker;
  AdwActionRow         *lora_row;
  DlyParamPanel        *param_panel;
  AdwPreferencesGroup  *takes_group;
  GtkSpinButton        *takes_spin;
  AdwComboRow          *seeds_row;
  GtkWidget            *blocked_box;
  GtkLabel             *blocked_label;
  GtkButton            *generate_button;
};

G_DEFINE_FINAL_TYPE (DlyComposer, dly_composer, GTK_TYPE_WIDGET)

G_DEFINE_ENUM_TYPE (DlyComposerHealth, dly_composer_health,
                    G_DEFINE_ENUM_VALUE (DLY_COMPOSER_HEALTH_NONE, "none"),
                    G_DEFINE_ENUM_VALUE (DLY_COMPOSER_HEALTH_CHECKING, "checking"),
                    G_DEFINE_ENUM_VALUE (DLY_COMPOSER_HEALTH_REACHABLE, "reachable"),
                    G_DEFINE_ENUM_VALUE (DLY_COMPOSER_HEALTH_NO_KEY, "no-key"),
                    G_DEFINE_ENUM_VALUE (DLY_COMPOSER_HEALTH_KEY_REFUSED, "key-refused"),
                    G_DEFINE_ENUM_VALUE (DLY_COMPOSER_HEALTH_UNREACHABLE, "unreachable"))

enum {
  PROP_0,
  PROP_PROFILE,
  PROP_CAN_GENERATE,
  PROP_BLOCKED_REASON,
  PROP_HEALTH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  GENERATE,
  MANAGE_BACKENDS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void dly_composer_update_state (DlyComposer *self);
static void dly_composer_set_current_profile (DlyComposer *self,
                                              DlyProfile  *profile);

/* --- the prompt guide, from the LTX prompting advice (seeds/ltx2-server.md) --- */

typedef struct
{
  const char *title;
  const char *advice;
} Aspect;

/* The six aspects of a good LTX prompt, in the order they go in. */
static const Aspect aspects[] = {
  { N_("Establish the shot"), N_("Camera angle, scale, genre or style: “Cinematic medium shot”, “Handheld documentary style”") },
  { N_("Set the scene"), N_("Lighting, color palette, textures, atmosphere: “Warm golden light”, “fog and rain”") },
  { N_("Describe the action"), N_("A natural sequence from beginning to end: “…then the subject turns to face the viewer”") },
  { N_("Define the characters"), N_("Age, clothing, hair, and emotions shown by physical cues: “eyes wide with focus”") },
  { N_("Identify the camera movement"), N_("When it moves and to what: “Camera pans right to reveal…”, “Cranes up to show…”") },
  { N_("Describe the audio"), N_("Ambient sound, dialogue in quotes, voice style: “Ambient live music”") },
};

typedef struct
{
  const char *heading;
  /* The phrases stay English: they go into the prompt, and the models were trained on
   * English descriptions. */
  const char *phrases[8];
} Vocabulary;

static const Vocabulary style_vocabulary[] = {
  { N_("Animation"), { "stop-motion", "2D animation", "3D animation", "claymation", "hand-drawn" } },
  { N_("Stylized"), { "comic book", "cyberpunk", "8-bit pixel", "surreal", "minimalist", "painterly" } },
  { N_("Cinematic"), { "period drama", "film noir", "fantasy", "epic space opera", "thriller", "documentary" } },
  { N_("Lighting"), { "flickering candles", "neon glow", "natural sunlight", "dramatic shadows" } },
  { N_("Textures"), { "rough stone", "smooth metal", "worn fabric", "glossy surfaces" } },
  { N_("Color palette"), { "vibrant", "muted", "monochromatic", "high contrast" } },
  { N_("Atmosphere"), { "fog", "rain", "dust", "particles", "smoke" } },
};

static const Vocabulary camera_vocabulary[] = {
  { N_("Translation"), { "follows", "tracks", "pushes in", "pulls back", "dollies back" } },
  { N_("Rotation"), { "pans across", "circles around", "tilts upward", "over-the-shoulder" } },
  { N_("Characteristics"), { "handheld movement", "lens flares", "film grain", "jittery stop-motion" } },
  { N_("Scale"), { "expansive", "epic", "intimate", "claustrophobic" } },
  { N_("Pacing"), { "slow motion", "time-lapse", "rapid cuts", "lingering shot", "fade-in" } },
};

static gboolean
ends_sentence (gunichar c)
{
  return c == '.' || c == '!' || c == '?';
}

/* Inserts a guide phrase where the cursor is, as a word of the sentence: spaced from its
 * neighbours, and capitalised when it starts a sentence. */
static void
insert_phrase (DlyComposer *self,
               const char  *phrase)
{
  GtkTextBuffer *buffer = self->prompt_buffer;
  GtkTextIter iter, before;
  GString *text = g_string_new (NULL);
  gboolean starts_sentence = TRUE;

  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));

  before = iter;
  while (gtk_text_iter_backward_char (&before))
    {
      gunichar c = gtk_text_iter_get_char (&before);

      if (g_unichar_isspace (c))
        continue;
      starts_sentence = ends_sentence (c);
      break;
    }

  before = iter;
  if (gtk_text_iter_backward_char (&before) && !g_unichar_isspace (gtk_text_iter_get_char (&before)))
    g_string_append_c (text, ' ');
  if (starts_sentence)
    {
      g_string_append_unichar (text, g_unichar_toupper (g_utf8_get_char (phrase)));
      g_string_append (text, g_utf8_next_char (phrase));
    }
  else
    g_string_append (text, phrase);
  if (!gtk_text_iter_is_end (&iter) && !g_unichar_isspace (gtk_text_iter_get_char (&iter))
      && !g_unichar_ispunct (gtk_text_iter_get_char (&iter)))
    g_string_append_c (text, ' ');

  /* One user action: one Ctrl+Z takes the phrase out again. */
  gtk_text_buffer_begin_user_action (buffer);
  gtk_text_buffer_insert_interactive (buffer, &iter, text->str, (int) text->len, TRUE);
  gtk_text_buffer_end_user_action (buffer);
  g_string_free (text, TRUE);

  gtk_widget_grab_focus (GTK_WIDGET (self->prompt_view));
}

static void
on_chip_clicked_cb (GtkButton   *button,
                    DlyComposer *self)
{
  insert_phrase (self, g_object_get_data (G_OBJECT (button), "phrase"));
}

static GtkWidget *
build_vocabulary (DlyComposer      *self,
                  const char       *title,
                  const Vocabulary *vocabulary,
                  guint             n_vocabulary)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_label_new (title);

  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "heading");
  gtk_box_append (GTK_BOX (box), heading);

  for (guint i = 0; i < n_vocabulary; i++)
    {
      GtkWidget *label = gtk_label_new (_(vocabulary[i].heading));
      /* Chips wrap like words; a GtkFlowBox would line them up in columns. */
      GtkWidget *chips = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_margin_top (label, 6);
      gtk_widget_add_css_class (label, "caption-heading");
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (GTK_BOX (box), label);

      gtk_widget_set_layout_manager (chips, dly_wrap_layout_new (6, 6));
      gtk_accessible_update_property (GTK_ACCESSIBLE (chips), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _(vocabulary[i].heading), -1);

      for (guint j = 0; j < G_N_ELEMENTS (vocabulary[i].phrases) && vocabulary[i].phrases[j]; j++)
        {
          const char *phrase = vocabulary[i].phrases[j];
          GtkWidget *button = gtk_button_new ();
          GtkWidget *text = gtk_label_new (phrase);
          /* Translators: a button that inserts a phrase into the prompt */
          g_autofree char *tooltip = g_strdup_printf (_("Insert “%s”"), phrase);

          gtk_widget_add_css_class (text, "caption");
          gtk_button_set_child (GTK_BUTTON (button), text);
          gtk_widget_set_tooltip_text (button, tooltip);
          gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
          g_object_set_data (G_OBJECT (button), "phrase", (gpointer) phrase);
          g_signal_connect (button, "clicked", G_CALLBACK (on_chip_clicked_cb), self);
          gtk_box_append (GTK_BOX (chips), button);
        }
      gtk_box_append (GTK_BOX (box), chips);
    }
  return box;
}

static void
build_guide (DlyComposer *self)
{
  GtkWidget *advice;

  if (self->guide_built)
    return;
  self->guide_built = TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (aspects); i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *number = gtk_label_new (NULL);
      g_autofree char *digit = g_strdup_printf ("%u", i + 1);

      gtk_label_set_text (GTK_LABEL (number), digit);
      gtk_widget_add_css_class (number, "heading");
      gtk_widget_add_css_class (number, "accent");
      gtk_widget_add_css_class (number, "numeric");
      gtk_widget_set_size_request (number, 16, -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), number);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(aspects[i].title));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(aspects[i].advice));
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      adw_expander_row_add_row (self->guide_row, row);
    }

  advice = gtk_label_new (_("Write one flowing paragraph in the present tense, 4–8 sentences. "
                            "Match the detail to the shot’s scale: close-ups need more "
                            "precision. Say where the camera is relative to the subject. "
                            "No lists, no action too long for a 2–5 second clip, and no vague "
                            "words like “cool” without specifics."));
  gtk_label_set_wrap (GTK_LABEL (advice), TRUE);
  gtk_label_set_xalign (GTK_LABEL (advice), 0);
  gtk_widget_set_margin_top (advice, 12);
  gtk_widget_set_margin_bottom (advice, 12);
  gtk_widget_set_margin_start (advice, 12);
  gtk_widget_set_margin_end (advice, 12);
  gtk_widget_add_css_class (advice, "body");
  adw_expander_row_add_row (self->guide_row, advice);

  adw_expander_row_add_row (self->guide_row,
                            build_vocabulary (self, _("Style and Visual Details"),
                                              style_vocabulary,
                                              G_N_ELEMENTS (style_vocabulary)));
  adw_expander_row_add_row (self->guide_row,
                            build_vocabulary (self, _("Camera Language"), camera_vocabulary,
                                              G_N_ELEMENTS (camera_vocabulary)));
}

/* The guide's hundred-odd rows and chips are made when it is first opened: a collapsed
 * expander row still measures its hidden rows, and most takes are written without it. */
static void
on_guide_expanded_cb (AdwExpanderRow *row,
                      GParamSpec     *pspec,
                      DlyComposer    *self)
{
  if (adw_expander_row_get_expanded (row))
    build_guide (self);
}

/* --- the prompt --- */

static char *
dup_prompt (DlyComposer *self)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (self->prompt_buffer, &start, &end);
  return gtk_text_buffer_get_text (self->prompt_buffer, &start, &end, FALSE);
}

static gboolean
is_blank (const char *text)
{
  for (; text != NULL && *text != '\0'; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return FALSE;
  return TRUE;
}

static void
update_counts (DlyComposer *self)
{
  g_autofree char *text = dup_prompt (self);
  guint words = 0, sentences = 0, characters = 0;
  gboolean in_word = FALSE, in_sentence = FALSE;
  g_autofree char *words_text = NULL;
  g_autofree char *characters_text = NULL;
  g_autofree char *sentences_text = NULL;
  g_autofree char *label = NULL;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      characters++;
      if (g_unichar_isspace (c))
        in_word = FALSE;
      else
        {
          if (!in_word)
            words++;
          in_word = TRUE;
          if (ends_sentence (c))
            {
              if (in_sentence)
                sentences++;
              in_sentence = FALSE;
            }
          else if (g_unichar_isalnum (c))
            in_sentence = TRUE;
        }
    }
  if (in_sentence)
    sentences++;

  gtk_widget_set_visible (GTK_WIDGET (self->placeholder_label), characters == 0);

  words_text = g_strdup_printf (g_dngettext (NULL, "%u word", "%u words", words), words);
  characters_text = g_strdup_printf (g_dngettext (NULL, "%u character", "%u characters",
                                                  characters), characters);
  if (words == 0)
    label = g_strdup_printf ("%s · %s", words_text, characters_text);
  else
    {
      sentences_text = g_strdup_printf (g_dngettext (NULL, "%u sentence", "%u sentences",
                                                     sentences), sentences);
      /* The guide's advice, measured: 4–8 sentences make a good LTX prompt. */
      if (sentences < 4 || sentences > 8)
        /* Translators: "3 sentences (4–8 work best)" */
        label = g_strdup_printf (_("%s · %s · %s (4–8 work best)"),
                                 words_text, characters_text, sentences_text);
      else
        label = g_strdup_printf ("%s · %s · %s", words_text, characters_text, sentences_text);
    }
  gtk_label_set_text (self->count_label, label);
}

static void
on_prompt_buffer_changed_cb (GtkTextBuffer *buffer,
                             DlyComposer   *self)
{
  update_counts (self);
  dly_composer_update_state (self);
}

/* --- settings --- */

static gboolean
save_settings_cb (gpointer user_data)
{
  DlyComposer *self = user_data;
  g_autoptr(JsonObject) changes = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *json = NULL;

  self->save_id = 0;
  /* Until the remembered profile is back, the settings still describe it. */
  if (self->settings == NULL || self->profile == NULL || self->wanted_profile != NULL)
    return G_SOURCE_REMOVE;

  changes = dly_param_panel_dup_changes (self->param_panel);
  node = json_node_init_object (json_node_alloc (), changes);
  json = json_to_string (node, FALSE);

  g_settings_delay (self->settings);
  g_settings_set_string (self->settings, "last-profile", dly_profile_get_name (self->profile));
  g_settings_set_string (self->settings, "last-parameters", json);
  g_settings_apply (self->settings);
  return G_SOURCE_REMOVE;
}

static void
schedule_save (DlyComposer *self)
{
  if (self->settings == NULL || self->save_id != 0)
    return;
  self->save_id = g_timeout_add (SAVE_DELAY_MS, save_settings_cb, self);
}

static void
flush_save (DlyComposer *self)
{
  if (self->save_id == 0)
    return;
  g_clear_handle_id (&self->save_id, g_source_remove);
  save_settings_cb (self);
}

/* --- health --- */

static void
set_health (DlyComposer       *self,
            DlyComposerHealth  health,
            const char        *message)
{
  static const struct { const char *icon; const char *style; } looks[] = {
    [DLY_COMPOSER_HEALTH_NONE] = { "network-idle-symbolic", "dim-label" },
    [DLY_COMPOSER_HEALTH_CHECKING] = { NULL, NULL },
    [DLY_COMPOSER_HEALTH_REACHABLE] = { "emblem-ok-symbolic", "success" },
    [DLY_COMPOSER_HEALTH_NO_KEY] = { "dialog-password-symbolic", "warning" },
    [DLY_COMPOSER_HEALTH_KEY_REFUSED] = { "dialog-password-symbolic", "error" },
    [DLY_COMPOSER_HEALTH_UNREACHABLE] = { "network-offline-symbolic", "error" },
  };
  const char *title;
  gboolean changed = self->health != health;

  self->health = health;
  g_free (self->health_message);
  self->health_message = g_strdup (message);

  switch (health)
    {
    case DLY_COMPOSER_HEALTH_CHECKING: title = _("Checking…"); break;
    case DLY_COMPOSER_HEALTH_REACHABLE: title = _("Reachable"); break;
    case DLY_COMPOSER_HEALTH_NO_KEY: title = _("No API Key"); break;
    case DLY_COMPOSER_HEALTH_KEY_REFUSED: title = _("Key Refused"); break;
    case DLY_COMPOSER_HEALTH_UNREACHABLE: title = _("Unreachable"); break;
    case DLY_COMPOSER_HEALTH_NONE:
    default: title = _("Not Checked"); break;
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->health_row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->health_row), message ? message : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->health_row), message);

  gtk_spinner_set_spinning (self->health_spinner, health == DLY_COMPOSER_HEALTH_CHECKING);
  if (health == DLY_COMPOSER_HEALTH_CHECKING)
    gtk_stack_set_visible_child (self->health_stack, GTK_WIDGET (self->health_spinner));
  else
    {
      const char *styles[] = { "dim-label", "success", "warning", "error" };

      gtk_image_set_from_icon_name (self->health_icon, looks[health].icon);
      for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
        gtk_widget_remove_css_class (GTK_WIDGET (self->health_icon), styles[i]);
      gtk_widget_add_css_class (GTK_WIDGET (self->health_icon), looks[health].style);
      gtk_stack_set_visible_child (self->health_stack, GTK_WIDGET (self->health_icon));
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "composer.refresh-health",
                                 self->profile != NULL && health != DLY_COMPOSER_HEALTH_CHECKING);

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEALTH]);
}

/* An answer for a selection that has since changed is dropped: each load has its own
 * cancellable, cancelled when the next one starts or the composer goes. */
typedef struct
{
  DlyComposer  *self;
  GCancellable *cancellable;
} Pending;

static Pending *
pending_new (DlyComposer *self)
{
  Pending *pending = g_new0 (Pending, 1);

  pending->self = g_object_ref (self);
  pending->cancellable = g_object_ref (self->backend_cancellable);
  return pending;
}

static void
pending_free (Pending *pending)
{
  g_object_unref (pending->self);
  g_object_unref (pending->cancellable);
  g_free (pending);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pending, pending_free)

static void
on_backend_checked (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(Pending) pending = user_data;
  DlyComposer *self = pending->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = dly_backend_check_finish (DLY_BACKEND (source), result, &error);

  if (g_cancellable_is_cancelled (pending->cancellable))
    return;

  if (message != NULL)
    set_health (self, DLY_COMPOSER_HEALTH_REACHABLE, message);
  else if (g_error_matches (error, DLY_ERROR, DLY_ERROR_AUTH))
    set_health (self, DLY_COMPOSER_HEALTH_KEY_REFUSED, error->message);
  else
    set_health (self, DLY_COMPOSER_HEALTH_UNREACHABLE, error->message);
}

static void
start_check (DlyComposer *self)
{
  if (self->backend == NULL)
    return;
  if (self->session == NULL)
    {
      set_health (self, DLY_COMPOSER_HEALTH_NONE, NULL);
      return;
    }
  set_health (self, DLY_COMPOSER_HEALTH_CHECKING, NULL);
  dly_backend_check_async (self->backend, self->session, self->backend_cancellable,
                           on_backend_checked, pending_new (self));
}

static void
on_backend_created (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(Pending) pending = user_data;
  DlyComposer *self = pending->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlyBackend) backend = NULL;

  backend = dly_profile_store_create_backend_finish (DLY_PROFILE_STORE (source), result, &error);
  if (g_cancellable_is_cancelled (pending->cancellable))
    return;

  if (backend == NULL)
    {
      g_free (self->backend_error);
      self->backend_error = g_strdup (error->message);
      set_health (self, DLY_COMPOSER_HEALTH_NO_KEY, error->message);
      dly_composer_update_state (self);
      return;
    }

  g_set_object (&self->backend, backend);
  dly_composer_update_state (self);
  start_check (self);
}

/* Looks up the profile's key (the keyring answers asynchronously) and then checks the
 * backend; a newer selection cancels both. */
static void
load_backend (DlyComposer *self)
{
  g_cancellable_cancel (self->backend_cancellable);
  g_clear_object (&self->backend_cancellable);
  g_clear_object (&self->backend);
  g_clear_pointer (&self->backend_error, g_free);

  if (self->profile == NULL || self->spec_backend == NULL || self->store == NULL)
    {
      set_health (self, DLY_COMPOSER_HEALTH_NONE, self->spec_error);
      return;
    }

  self->backend_cancellable = g_cancellable_new ();
  set_health (self, DLY_COMPOSER_HEALTH_CHECKING, NULL);
  dly_profile_store_create_backend_async (self->store, self->profile, self->backend_cancellable,
                                          on_backend_created, pending_new (self));
}

/* --- profiles --- */

static char *
dup_dialect_label (const char *dialect)
{
  GType type = dly_backend_type_for_dialect (dialect);
  DlyBackendClass *klass;
  char *label;

  if (type == G_TYPE_INVALID)
    return g_strdup (dialect);
  klass = g_type_class_ref (type);
  label = g_strdup (klass->label);
  g_type_class_unref (klass);
  return label;
}

static void
update_backend_description (DlyComposer *self)
{
  g_autofree char *label = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GUri) uri = NULL;

  if (self->profile == NULL)
    return;
  label = dup_dialect_label (dly_profile_get_dialect (self->profile));
  uri = g_uri_parse (dly_profile_get_base_url (self->profile), G_URI_FLAGS_NONE, NULL);
  if (uri != NULL && g_uri_get_host (uri) != NULL)
    {
      if (g_uri_get_port (uri) > 0)
        text = g_strdup_printf ("%s · %s:%d", label, g_uri_get_host (uri), g_uri_get_port (uri));
      else
        text = g_strdup_printf ("%s · %s", label, g_uri_get_host (uri));
    }
  else
    text = g_strdup (label);
  adw_combo_row_set_use_subtitle (self->profile_row, FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->profile_row), text);
}

/* What the backend can do with which inputs, for the Inputs group. */
static char *
describe_modes (DlyBackend *backend)
{
  DlyModeFlags modes = dly_backend_get_modes (backend);
  g_autoptr(GPtrArray) lines = g_ptr_array_new ();

  if (modes & DLY_MODE_FLAG_TEXT_TO_VIDEO)
    g_ptr_array_add (lines, _("The prompt alone makes text to video."));
  if (modes & DLY_MODE_FLAG_IMAGE_TO_VIDEO)
    g_ptr_array_add (lines, _("Add an image to animate it: image to video."));
  if ((modes & DLY_MODE_FLAG_AUDIO_GENERATION) && !(modes & DLY_MODE_FLAG_IMAGE_TO_VIDEO))
    g_ptr_array_add (lines, _("An image alone is animated with generated sound: audio generation."));
  if (modes & DLY_MODE_FLAG_LIP_SYNC)
    g_ptr_array_add (lines, _("An image and an audio track make the portrait speak: lip-sync."));
  g_ptr_array_add (lines, NULL);
  return g_strjoinv (" ", (char **) lines->pdata);
}

static void
configure_for_backend (DlyComposer *self)
{
  DlyBackend *backend = self->spec_backend;
  g_autofree char *modes = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->inputs_group), backend != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->takes_group), self->profile != NULL);

  if (backend == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->negative_row), TRUE);
      return;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->negative_row),
                          dly_backend_uses_negative_prompt (backend));
  dly_input_picker_set_accepted (self->image_picker, dly_backend_get_image_inputs (backend),
                                 dly_backend_get_label (backend));
  dly_input_picker_set_accepted (self->audio_picker, dly_backend_get_audio_inputs (backend),
                                 dly_backend_get_label (backend));
  modes = describe_modes (backend);
  adw_preferences_group_set_description (self->inputs_group, modes);

  /* Without a seed parameter there is nothing to vary between takes. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->seeds_row),
                            dly_backend_find_param (backend, "seed") != NULL);
}

static void
dly_composer_set_current_profile (DlyComposer *self,
                                  DlyProfile  *profile)
{
  g_autoptr(GError) error = NULL;
  JsonObject *remembered;

  if (self->profile == profile)
    return;

  /* Keep this profile's values for the session, for when the user comes back to it. */
  if (self->profile != NULL && self->spec_backend != NULL)
    g_hash_table_insert (self->profile_changes, g_strdup (dly_profile_get_name (self->profile)),
                         dly_param_panel_dup_changes (self->param_panel));

  g_set_object (&self->profile, profile);
  g_clear_object (&self->spec_backend);
  g_clear_pointer (&self->spec_error, g_free);

  if (profile != NULL)
    {
      self->spec_backend = dly_backend_new_for_dialect (dly_profile_get_dialect (profile),
                                                        dly_profile_get_base_url (profile),
                                                        &error);
      if (self->spec_backend == NULL)
        self->spec_error = g_strdup (error->message);
    }

  dly_param_panel_set_backend (self->param_panel, self->spec_backend, profile);
  if (profile != NULL && self->spec_backend != NULL)
    {
      const char *name = dly_profile_get_name (profile);

      remembered = g_hash_table_lookup (self->profile_changes, name);
      if (remembered != NULL)
        dly_param_panel_load_changes (self->param_panel, remembered);
      else if (self->pending_changes != NULL && g_strcmp0 (self->pending_for, name) == 0)
        {
          dly_param_panel_load_changes (self->param_panel, self->pending_changes);
          g_clear_pointer (&self->pending_changes, json_object_unref);
        }
    }

  configure_for_backend (self);
  update_backend_description (self);
  load_backend (self);
  dly_composer_update_state (self);
  schedule_save (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILE]);
}

static guint
find_profile_position (DlyComposer *self,
                       const char  *name)
{
  GListModel *model = G_LIST_MODEL (self->store);
  guint n = self->store != NULL ? g_list_model_get_n_items (model) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DlyProfile) profile = g_list_model_get_item (model, i);

      if (g_strcmp0 (dly_profile_get_name (profile), name) == 0)
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

/* Makes the profile row and the selected profile agree with the store: the wanted profile
 * once it exists, the same profile by name after the store reloaded, else the first. */
static void
sync_profile (DlyComposer *self)
{
  guint n = self->store != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->store)) : 0;
  guint position = GTK_INVALID_LIST_POSITION;
  g_autoptr(DlyProfile) selected = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->empty_row), n == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->profile_row), n > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->health_row), n > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->manage_button), n > 0);

  if (self->wanted_profile != NULL)
    {
      position = find_profile_position (self, self->wanted_profile);
      /* The store loads all at once: a profile missing from a loaded store is gone. */
      if (position != GTK_INVALID_LIST_POSITION || n > 0)
        g_clear_pointer (&self->wanted_profile, g_free);
    }
  if (position == GTK_INVALID_LIST_POSITION && self->profile != NULL)
    position = find_profile_position (self, dly_profile_get_name (self->profile));
  if (position == GTK_INVALID_LIST_POSITION && n > 0)
    position = 0;

  self->syncing++;
  if (position != GTK_INVALID_LIST_POSITION
      && adw_combo_row_get_selected (self->profile_row) != position)
    adw_combo_row_set_selected (self->profile_row, position);
  self->syncing--;

  if (position != GTK_INVALID_LIST_POSITION)
    selected = g_list_model_get_item (G_LIST_MODEL (self->store), position);
  if (selected != self->profile)
    dly_composer_set_current_profile (self, selected);
  else
    dly_composer_update_state (self);
}

/* The combo row moves its selection while the store changes: that is not the user's
 * choice, so the row is ignored from before the change until after it. */
static void
on_store_items_changing_cb (GListModel  *model,
                            guint        position,
                            guint        removed,
                            guint        added,
                            DlyComposer *self)
{
  self->syncing++;
}

static void
on_store_items_changed_cb (GListModel  *model,
                           guint        position,
                           guint        removed,
                           guint        added,
                           DlyComposer *self)
{
  self->syncing--;
  sync_profile (self);
}

static void
on_profile_row_selected_cb (AdwComboRow *row,
                            GParamSpec  *pspec,
                            DlyComposer *self)
{
  DlyProfile *profile;

  if (self->syncing > 0 || self->store == NULL)
    return;
  profile = adw_combo_row_get_selected_item (row);
  /* The user chose: an older wish from the settings no longer counts. */
  g_clear_pointer (&self->wanted_profile, g_free);
  dly_composer_set_current_profile (self, profile);
}

static void
setup_profile_item_cb (GtkSignalListItemFactory *factory,
                       GtkListItem              *item,
                       DlyComposer              *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *dialect = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (dialect), 0);
  gtk_label_set_ellipsize (GTK_LABEL (dialect), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (dialect, "caption");
  gtk_widget_add_css_class (dialect, "dim-label");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), dialect);
  gtk_list_item_set_child (item, box);
}

static void
bind_profile_item_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      DlyComposer              *self)
{
  DlyProfile *profile = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *name = gtk_widget_get_first_child (box);
  GtkWidget *dialect = gtk_widget_get_next_sibling (name);
  g_autofree char *label = dup_dialect_label (dly_profile_get_dialect (profile));

  gtk_label_set_text (GTK_LABEL (name), dly_profile_get_name (profile));
  gtk_label_set_text (GTK_LABEL (dialect), label);
}

/* --- mode, validity and Generate --- */

/* The request as composed, before seeds are chosen. */
static DlyRequest *
compose_request (DlyComposer *self)
{
  g_autoptr(DlyRequest) request = dly_request_new ();
  g_autofree char *prompt = dup_prompt (self);
  const char *negative = gtk_editable_get_text (GTK_EDITABLE (self->negative_row));

  dly_request_set_prompt (request, prompt);
  if (!is_blank (negative)
      && (self->spec_backend == NULL || dly_backend_uses_negative_prompt (self->spec_backend)))
    dly_request_set_negative_prompt (request, negative);
  dly_request_set_image (request, dly_input_picker_get_location (self->image_picker));
  dly_request_set_audio (request, dly_input_picker_get_location (self->audio_picker));
  dly_param_panel_apply_to_request (self->param_panel, request);
  for (guint i = 0; self->loras != NULL && i < dly_request_get_n_loras (self->loras); i++)
    {
      double scale = 1;
      const char *url = dly_request_get_lora (self->loras, i, &scale);

      dly_request_add_lora (request, url, scale);
    }
  return g_steal_pointer (&request);
}

static void
update_mode (DlyComposer *self,
             DlyRequest  *request)
{
  g_autoptr(GError) error = NULL;
  DlyMode mode = DLY_MODE_TEXT_TO_VIDEO;
  gboolean has_mode = FALSE;

  if (self->spec_backend != NULL)
    has_mode = dly_backend_choose_mode (self->spec_backend, request, &mode, &error);

  self->has_mode = has_mode;
  self->mode = mode;
  dly_param_panel_set_modes (self->param_panel,
                             has_mode ? DLY_MODE_TO_FLAG (mode) : DLY_MODE_FLAG_ALL);

  if (has_mode)
    {
      gtk_label_set_text (self->mode_label, dly_mode_get_label (mode));
      gtk_widget_remove_css_class (GTK_WIDGET (self->mode_label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->mode_label), "accent");
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->mode_row), "");
    }
  else
    {
      gtk_label_set_text (self->mode_label, self->spec_backend ? _("Needs Inputs") : "");
      gtk_widget_remove_css_class (GTK_WIDGET (self->mode_label), "accent");
      gtk_widget_add_css_class (GTK_WIDGET (self->mode_label), "dim-label");
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->mode_row),
                                   error != NULL ? error->message : "");
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->mode_row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  gtk_label_get_text (self->mode_label), -1);
}

static void
update_pickers (DlyComposer *self)
{
  DlyBackend *backend = self->spec_backend;

  /* A picker the backend has no use for is hidden, unless it holds something that must be
   * removable. */
  gtk_widget_set_visible (GTK_WIDGET (self->image_picker),
                          (backend != NULL && dly_backend_get_image_inputs (backend) != DLY_INPUT_NONE)
                          || dly_input_picker_get_location (self->image_picker) != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->audio_picker),
                          (backend != NULL && dly_backend_get_audio_inputs (backend) != DLY_INPUT_NONE)
                          || dly_input_picker_get_location (self->audio_picker) != NULL);
}

static void
update_loras (DlyComposer *self)
{
  guint n = self->loras != NULL ? dly_request_get_n_loras (self->loras) : 0;
  g_autoptr(GString) text = g_string_new (NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->lora_row), n > 0);
  for (guint i = 0; i < n; i++)
    {
      double scale = 1;
      const char *url = dly_request_get_lora (self->loras, i, &scale);
      g_autofree char *base = g_path_get_basename (url);

      g_string_append_printf (text, "%s%s (%.2g)", i > 0 ? ", " : "", base, scale);
    }
  adw_action_row_set_subtitle (self->lora_row, text->str);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "composer.clear-loras", n > 0);
}

static void
update_generate_label (DlyComposer *self)
{
  guint takes = dly_composer_get_takes (self);
  g_autofree char *label = NULL;

  if (takes <= 1)
    label = g_strdup (_("_Generate"));
  else
    /* Translators: the Generate button when several takes are asked for */
    label = g_strdup_printf (g_dngettext (NULL, "_Generate %u Take", "_Generate %u Takes", takes),
                             takes);
  gtk_button_set_label (self->generate_button, label);
}

static void
dly_composer_update_state (DlyComposer *self)
{
  g_autoptr(DlyRequest) request = compose_request (self);
  g_autoptr(GError) error = NULL;
  const char *reason = NULL;
  gboolean is_problem = TRUE;
  gboolean can_generate;
  GtkWidget *blocker = NULL;

  update_pickers (self);
  update_mode (self, request);

  if (self->profile == NULL)
    {
      reason = _("Add a backend to generate takes");
      is_problem = FALSE;
    }
  else if (self->spec_error != NULL)
    reason = self->spec_error;
  else if (dly_param_panel_get_error (self->param_panel) != NULL)
    {
      reason = dly_param_panel_get_error (self->param_panel);
      blocker = GTK_WIDGET (self->param_panel);
    }
  else if (dly_input_picker_get_error (self->image_picker) != NULL)
    {
      reason = dly_input_picker_get_error (self->image_picker);
      blocker = GTK_WIDGET (self->image_picker);
    }
  else if (dly_input_picker_get_error (self->audio_picker) != NULL)
    {
      reason = dly_input_picker_get_error (self->audio_picker);
      blocker = GTK_WIDGET (self->audio_picker);
    }
  else if (dly_input_picker_get_busy (self->image_picker))
    {
      reason = _("Reading the image…");
      is_problem = FALSE;
    }
  else if (dly_input_picker_get_busy (self->audio_picker))
    {
      reason = _("Reading the audio…");
      is_problem = FALSE;
    }
  else if (self->backend == NULL && self->backend_error != NULL)
    reason = self->backend_error;
  else if (self->backend == NULL)
    {
      reason = _("Looking up the backend’s key…");
      is_problem = FALSE;
    }
  else if (!dly_backend_validate (self->backend, request, NULL, &error))
    {
      reason = error->message;
      /* A prompt not yet written is the next step, not a mistake. */
      is_problem = !is_blank (dly_request_get_prompt (request));
      if (!is_problem)
        blocker = GTK_WIDGET (self->prompt_view);
      else if (!self->has_mode)
        blocker = GTK_WIDGET (self->mode_row);
    }

  can_generate = reason == NULL;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "composer.generate", can_generate);
  self->blocker = blocker;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "composer.show-problem", blocker != NULL);
  gtk_widget_set_visible (gtk_widget_get_next_sibling (GTK_WIDGET (self->blocked_label)),
                          blocker != NULL);
  gtk_label_set_text (self->blocked_label, reason != NULL ? reason : "");
  gtk_widget_set_visible (self->blocked_box, reason != NULL);
  if (is_problem)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->blocked_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->blocked_label), "dim-label");
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->blocked_label), "dim-label");
      gtk_widget_remove_css_class (GTK_WIDGET (self->blocked_label), "error");
    }
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->generate_button),
                               reason != NULL ? reason : _("Generate (Ctrl+Enter)"));

  if (can_generate != self->can_generate)
    {
      self->can_generate = can_generate;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_GENERATE]);
    }
  if (g_strcmp0 (reason, self->blocked_reason) != 0)
    {
      g_free (self->blocked_reason);
      self->blocked_reason = g_strdup (reason);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BLOCKED_REASON]);
    }
}

static gint64
random_in_range (gint64 minimum,
                 gint64 maximum)
{
  guint64 span = (guint64) (maximum - minimum);
  guint64 r = ((guint64) g_random_int () << 32) | g_random_int ();

  if (span == G_MAXUINT64)
    return minimum + (gint64) r;
  return minimum + (gint64) (r % (span + 1));
}

static GPtrArray *
build_takes (DlyComposer *self)
{
  g_autoptr(DlyRequest) base = compose_request (self);
  GPtrArray *requests = g_ptr_array_new_with_free_func (g_object_unref);
  GParamSpec *seed = self->spec_backend != NULL
                     ? dly_backend_find_param (self->spec_backend, "seed") : NULL;
  guint takes = dly_composer_get_takes (self);
  DlyComposerSeeds seeds = dly_composer_get_seeds (self);
  gint64 minimum = 0, maximum = 0, start = 0;

  if (seed != NULL && G_IS_PARAM_SPEC_INT64 (seed))
    {
      g_auto(GValue) value = G_VALUE_INIT;

      minimum = G_PARAM_SPEC_INT64 (seed)->minimum;
      maximum = G_PARAM_SPEC_INT64 (seed)->maximum;
      /* Consecutive seeds start at the one shown; a seed left to the backend starts at a
       * random one, so that the takes still differ and can be remade. */
      if (dly_param_panel_get_value (self->param_panel, "seed", &value))
        start = g_value_get_int64 (&value);
      else
        start = random_in_range (minimum, maximum);
    }
  else
    seed = NULL;

  for (guint i = 0; i < takes; i++)
    {
      DlyRequest *request = dly_request_copy (base);

      if (seed != NULL && seeds == DLY_COMPOSER_SEEDS_RANDOM)
        dly_request_set_param_int (request, "seed", random_in_range (minimum, maximum));
      else if (seed != NULL)
        {
          guint64 span = (guint64) (maximum - minimum) + 1;
          guint64 offset = ((guint64) (start - minimum) + i) % (span != 0 ? span : G_MAXUINT64);

          dly_request_set_param_int (request, "seed", minimum + (gint64) offset);
        }
      g_ptr_array_add (requests, request);
    }
  return requests;
}

static void
generate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  DlyComposer *self = DLY_COMPOSER (widget);
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(DlyProfile) profile = NULL;

  dly_composer_update_state (self);
  if (!self->can_generate)
    return;

  requests = build_takes (self);
  profile = g_object_ref (self->profile);
  /* What was just generated is what the next session starts from. */
  schedule_save (self);
  flush_save (self);
  g_signal_emit (self, signals[GENERATE], 0, profile, requests);
}

/* Brings what blocks Generate into view, a third of the way down where the eye lands, with
 * the focus on it. The viewport's own following of the focus would only just uncover it. */
static void
show_problem_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  DlyComposer *self = DLY_COMPOSER (widget);
  GtkViewport *viewport = GTK_VIEWPORT (gtk_scrolled_window_get_child (self->scroller));
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  GtkWidget *target = NULL;
  graphene_rect_t bounds;

  if (self->blocker == NULL)
    return;

  gtk_viewport_set_scroll_to_focus (viewport, FALSE);
  if (self->blocker == GTK_WIDGET (self->param_panel))
    target = dly_param_panel_focus_error (self->param_panel);
  else if (gtk_widget_grab_focus (self->blocker))
    target = self->blocker;
  gtk_viewport_set_scroll_to_focus (viewport, TRUE);

  if (target != NULL
      && gtk_widget_compute_bounds (target, gtk_viewport_get_child (viewport), &bounds))
    gtk_adjustment_set_value (adjustment,
                              bounds.origin.y - gtk_adjustment_get_page_size (adjustment) / 3);
}

/* Ctrl+Enter anywhere in the composer, caught before the prompt would take it as a new
 * line: generate, or go to what stops it. */
static gboolean
on_generate_shortcut_cb (GtkWidget *widget,
                         GVariant  *args,
                         gpointer   user_data)
{
  DlyComposer *self = DLY_COMPOSER (widget);

  if (self->can_generate)
    return gtk_widget_activate_action (widget, "composer.generate", NULL);
  if (self->blocker != NULL)
    return gtk_widget_activate_action (widget, "composer.show-problem", NULL);
  gtk_widget_error_bell (widget);
  return TRUE;
}

static void
manage_backends_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  g_signal_emit (widget, signals[MANAGE_BACKENDS], 0);
}

static void
refresh_health_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  dly_composer_refresh_health (DLY_COMPOSER (widget));
}

static void
clear_loras_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  DlyComposer *self = DLY_COMPOSER (widget);

  g_clear_object (&self->loras);
  update_loras (self);
  dly_composer_update_state (self);
}

/* --- signal handlers --- */

static void
on_picker_notify_cb (DlyInputPicker *picker,
                     GParamSpec     *pspec,
                     DlyComposer    *self)
{
  dly_composer_update_state (self);
}

static void
on_param_panel_changed_cb (DlyParamPanel *panel,
                           DlyComposer   *self)
{
  dly_composer_update_state (self);
  schedule_save (self);
}

static void
on_takes_spin_value_changed_cb (GtkSpinButton *spin,
                                DlyComposer   *self)
{
  update_generate_label (self);
}

/* Said under the group rather than in the row, where it would crowd out the choice. */
static void
update_seeds_subtitle (DlyComposer *self)
{
  const char *description;

  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->seeds_row)))
    description = _("This backend takes no seed: every take is the backend’s own draw.");
  else if (dly_composer_get_seeds (self) == DLY_COMPOSER_SEEDS_RANDOM)
    description = _("Every take gets a new random seed.");
  else
    description = _("The takes get the seed, then the seed + 1, + 2, and so on, so that any of "
                    "them can be made again.");
  adw_preferences_group_set_description (self->takes_group, description);
}

static void
on_seeds_row_selected_cb (AdwComboRow *row,
                          GParamSpec  *pspec,
                          DlyComposer *self)
{
  update_seeds_subtitle (self);
}

static void
on_seeds_row_sensitive_cb (GtkWidget   *row,
                           GParamSpec  *pspec,
                           DlyComposer *self)
{
  update_seeds_subtitle (self);
}

/* --- GObject --- */

static void
dly_composer_dispose (GObject *object)
{
  DlyComposer *self = DLY_COMPOSER (object);
  GtkWidget *child;

  flush_save (self);
  g_cancellable_cancel (self->backend_cancellable);
  g_clear_object (&self->backend_cancellable);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), DLY_TYPE_COMPOSER);
  /* The template's unnamed children (the separator, the scroller, the Generate bar). */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  g_clear_object (&self->profile);
  g_clear_object (&self->spec_backend);
  g_clear_object (&self->backend);
  g_clear_object (&self->loras);
  g_clear_pointer (&self->pending_changes, json_object_unref);
  g_clear_pointer (&self->profile_changes, g_hash_table_unref);

  G_OBJECT_CLASS (dly_composer_parent_class)->dispose (object);
}

static void
dly_composer_finalize (GObject *object)
{
  DlyComposer *self = DLY_COMPOSER (object);

  g_free (self->spec_error);
  g_free (self->backend_error);
  g_free (self->health_message);
  g_free (self->blocked_reason);
  g_free (self->wanted_profile);
  g_free (self->pending_for);

  G_OBJECT_CLASS (dly_composer_parent_class)->finalize (object);
}

static void
dly_composer_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  DlyComposer *self = DLY_COMPOSER (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      g_value_set_object (value, self->profile);
      break;
    case PROP_CAN_GENERATE:
      g_value_set_boolean (value, self->can_generate);
      break;
    case PROP_BLOCKED_REASON:
      g_value_set_string (value, self->blocked_reason);
      break;
    case PROP_HEALTH:
      g_value_set_enum (value, self->health);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_composer_class_init (DlyComposerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = dly_composer_dispose;
  object_class->finalize = dly_composer_finalize;
  object_class->get_property = dly_composer_get_property;

  /**
   * DlyComposer:profile:
   * The selected backend profile, or %NULL when there is none.
   */
  properties[PROP_PROFILE] = g_param_spec_object ("profile", NULL, NULL, DLY_TYPE_PROFILE, ro);

  /**
   * DlyComposer:can-generate:
   * Whether the composed request is valid for the selected backend.
   */
  properties[PROP_CAN_GENERATE] = g_param_spec_boolean ("can-generate", NULL, NULL, FALSE, ro);

  /**
   * DlyComposer:blocked-reason:
   * Why Generate is disabled, or %NULL.
   */
  properties[PROP_BLOCKED_REASON] =
    g_param_spec_string ("blocked-reason", NULL, NULL, NULL, ro);

  /**
   * DlyComposer:health:
   * What the last check of the selected backend found.
   */
  properties[PROP_HEALTH] =
    g_param_spec_enum ("health", NULL, NULL, DLY_TYPE_COMPOSER_HEALTH,
                       DLY_COMPOSER_HEALTH_NONE, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DlyComposer::generate:
   * @profile: the profile to generate with
   * @requests: (element-type DlyRequest): one request per take, seeds chosen
   *
   * The user pressed Generate on a valid request.
   */
  signals[GENERATE] = g_signal_new ("generate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                    DLY_TYPE_PROFILE, G_TYPE_PTR_ARRAY);

  /**
   * DlyComposer::manage-backends:
   * The user asked to add, edit or remove backends.
   */
  signals[MANAGE_BACKENDS] = g_signal_new ("manage-backends", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "composer.generate", NULL, generate_action);
  gtk_widget_class_install_action (widget_class, "composer.show-problem", NULL,
                                   show_problem_action);
  gtk_widget_class_install_action (widget_class, "composer.manage-backends", NULL,
                                   manage_backends_action);
  gtk_widget_class_install_action (widget_class, "composer.refresh-health", NULL,
                                   refresh_health_action);
  gtk_widget_class_install_action (widget_class, "composer.clear-loras", NULL,
                                   clear_loras_action);

  g_type_ensure (DLY_TYPE_PARAM_PANEL);
  g_type_ensure (DLY_TYPE_INPUT_PICKER);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dailies/Dailies/ui/dly-composer.ui");
  gtk_widget_class_bind_template_child (widget_class, DlyComposer, scroller);
  gtk_widget_class_bind_template_child (widget_class, DlyComposer, prompt_view);
  gtk_widget_class_bind_template_child (widget_class, DlyComposer, prompt_buffer);
  gtk_widget_class_bind_template_child (widget_class, DlyComposer, placeholder_label);
  gtk_widget_class_bind_template_child (widget_class, DlyComposer, count_label);
  gtk_widget_class_bind_template_child (widget_class, DlyComposer, guide_row);
  gtk_widget_class_bind_template_child (widget_class, DlyComposer, negative_row);
  gtk_widget_class_bind_template_child (widget_class, DlyComposer, backend_group);
  gtk_widget_class_bind_template_child (widget_class, DlyComposer, manage_button);
  gtk_widget_class_bind_template_child (widget_class, DlyComposer, profile_row);
  gtk_widget_class_bind_template_child (widget_class, DlyComposer, health_row);
  gtk_widget_class_bind_template_child (widget_class, DlyComposer, health_stack);
  gtk_widget_class_bind_template_child (widget_class, DlyComposer, health_icon);
  gtk_widget_class_bind_template_child (widget_class, DlyComposer, health_spinner);
  gtk_widget_class_bind_template_child (widget_class, DlyComposer, empty_row);
  gtk_widget_class_bind_template_child (widget_class, DlyComposer, inputs_group);
  gtk_widget_class_bind_template_child (widget_class, DlyComposer, mode_row);
  gtk_widget_class_bind_template_child (widget_class, DlyComposer, mode_label);
  gtk_widget_class_bind_template_child (widget_class, DlyComposer, image_picker);
  gtk_widget_class_bind_template_child (widget_class, DlyComposer, audio_picker);
  gtk_widget_class_bind_template_child (widget_class, DlyComposer, lora_row);
  gtk_widget_class_bind_template_child (widget_class, DlyComposer, param_panel);
  gtk_widget_class_bind_template_child (widget_class, DlyComposer, takes_group);
  gtk_widget_class_bind_template_child (widget_class, DlyComposer, takes_spin);
  gtk_widget_class_bind_template_child (widget_class, DlyComposer, seeds_row);
  gtk_widget_class_bind_template_child (widget_class, DlyComposer, blocked_box);
  gtk_widget_class_bind_template_child (widget_class, DlyComposer, blocked_label);
  gtk_widget_class_bind_template_child (widget_class, DlyComposer, generate_button);
  gtk_widget_class_bind_template_callback (widget_class, on_prompt_buffer_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_profile_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_picker_notify_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_param_panel_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_takes_spin_value_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_seeds_row_selected_cb);
}

static void
dly_composer_init (DlyComposer *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkCssProvider) provider = NULL;
  GtkEventController *shortcuts;
  GtkLayoutManager *layout;

  self->profile_changes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                 (GDestroyNotify) json_object_unref);

  gtk_widget_init_template (GTK_WIDGET (self));

  layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);

  adw_combo_row_set_expression (self->profile_row,
                                gtk_property_expression_new (DLY_TYPE_PROFILE, NULL, "name"));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_profile_item_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_profile_item_cb), self);
  adw_combo_row_set_list_factory (self->profile_row, factory);

  g_signal_connect (self->seeds_row, "notify::sensitive",
                    G_CALLBACK (on_seeds_row_sensitive_cb), self);

  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (
    GTK_SHORTCUT_CONTROLLER (shortcuts),
    gtk_shortcut_new (gtk_alternative_trigger_new (
                        gtk_keyval_trigger_new (GDK_KEY_Return, GDK_CONTROL_MASK),
                        gtk_keyval_trigger_new (GDK_KEY_KP_Enter, GDK_CONTROL_MASK)),
                      gtk_callback_action_new (on_generate_shortcut_cb, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  /* The prompt sits on its card like the rows below, in light and dark alike: only this
   * text view, so the app's style sheet is left alone. */
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (provider,
                                   "textview, textview > text { background: none; }", -1);
  gtk_style_context_add_provider (gtk_widget_get_style_context (GTK_WIDGET (self->prompt_view)),
                                  GTK_STYLE_PROVIDER (provider),
                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  g_signal_connect_object (self->guide_row, "notify::expanded",
                           G_CALLBACK (on_guide_expanded_cb), self, G_CONNECT_DEFAULT);
  update_counts (self);
  update_generate_label (self);
  update_seeds_subtitle (self);
  update_loras (self);
  set_health (self, DLY_COMPOSER_HEALTH_NONE, NULL);
  sync_profile (self);
  configure_for_backend (self);
  dly_composer_update_state (self);
}

GtkWidget *
dly_composer_new (void)
{
  return g_object_new (DLY_TYPE_COMPOSER, NULL);
}

void
dly_composer_set_profile_store (DlyComposer     *self,
                                DlyProfileStore *store)
{
  g_return_if_fail (DLY_IS_COMPOSER (self));
  g_return_if_fail (store == NULL || DLY_IS_PROFILE_STORE (store));

  if (self->store == store)
    return;

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);

  /* Connected before the row's own handler, so that it runs first. */
  if (store != NULL)
    {
      g_signal_connect (store, "items-changed", G_CALLBACK (on_store_items_changing_cb), self);
      g_signal_connect_after (store, "items-changed", G_CALLBACK (on_store_items_changed_cb),
                              self);
    }
  self->syncing++;
  adw_combo_row_set_model (self->profile_row, G_LIST_MODEL (store));
  self->syncing--;

  /* The selected profile belonged to the old store. */
  if (self->profile != NULL)
    {
      g_free (self->wanted_profile);
      self->wanted_profile = g_strdup (dly_profile_get_name (self->profile));
      dly_composer_set_current_profile (self, NULL);
    }
  sync_profile (self);
}

void
dly_composer_set_session (DlyComposer *self,
                          SoupSession *session)
{
  g_return_if_fail (DLY_IS_COMPOSER (self));
  g_return_if_fail (session == NULL || SOUP_IS_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;
  if (self->backend != NULL)
    start_check (self);
}

DlyProfile *
dly_composer_get_profile (DlyComposer *self)
{
  g_return_val_if_fail (DLY_IS_COMPOSER (self), NULL);
  return self->profile;
}

void
dly_composer_select_profile (DlyComposer *self,
                             const char  *name)
{
  g_return_if_fail (DLY_IS_COMPOSER (self));

  if (name == NULL || *name == '\0')
    return;
  g_free (self->wanted_profile);
  self->wanted_profile = g_strdup (name);
  sync_profile (self);
}

DlyRequest *
dly_composer_build_request (DlyComposer *self)
{
  g_return_val_if_fail (DLY_IS_COMPOSER (self), NULL);
  return compose_request (self);
}

void
dly_composer_load_request (DlyComposer *self,
                           const char  *profile_name,
                           DlyRequest  *request)
{
  const char *negative;

  g_return_if_fail (DLY_IS_COMPOSER (self));
  g_return_if_fail (DLY_IS_REQUEST (request));

  /* A template's profile may be gone: its values then go to the one selected. */
  if (profile_name != NULL && find_profile_position (self, profile_name) != GTK_INVALID_LIST_POSITION)
    dly_composer_select_profile (self, profile_name);

  gtk_text_buffer_set_text (self->prompt_buffer,
                            dly_request_get_prompt (request) ? dly_request_get_prompt (request) : "",
                            -1);
  negative = dly_request_get_negative_prompt (request);
  gtk_editable_set_text (GTK_EDITABLE (self->negative_row), negative != NULL ? negative : "");
  dly_input_picker_set_location (self->image_picker, dly_request_get_image (request));
  dly_input_picker_set_location (self->audio_picker, dly_request_get_audio (request));
  dly_param_panel_load_request (self->param_panel, request);

  g_clear_object (&self->loras);
  if (dly_request_get_n_loras (request) > 0)
    {
      self->loras = dly_request_new ();
      for (guint i = 0; i < dly_request_get_n_loras (request); i++)
        {
          double scale = 1;
          const char *url = dly_request_get_lora (request, i, &scale);

          dly_request_add_lora (self->loras, url, scale);
        }
    }
  update_loras (self);
  dly_composer_update_state (self);
}

void
dly_composer_set_image (DlyComposer *self,
                        const char  *path_or_url)
{
  g_return_if_fail (DLY_IS_COMPOSER (self));
  dly_input_picker_set_location (self->image_picker, path_or_url);
}

void
dly_composer_set_audio (DlyComposer *self,
                        const char  *path_or_url)
{
  g_return_if_fail (DLY_IS_COMPOSER (self));
  dly_input_picker_set_location (self->audio_picker, path_or_url);
}

void
dly_composer_set_prompt (DlyComposer *self,
                         const char  *prompt)
{
  g_return_if_fail (DLY_IS_COMPOSER (self));
  gtk_text_buffer_set_text (self->prompt_buffer, prompt != NULL ? prompt : "", -1);
}

void
dly_composer_bind_settings (DlyComposer *self,
                            GSettings   *settings)
{
  g_autofree char *last_profile = NULL;
  g_autofree char *last_parameters = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (DLY_IS_COMPOSER (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  g_set_object (&self->settings, settings);
  last_profile = g_settings_get_string (settings, "last-profile");
  last_parameters = g_settings_get_string (settings, "last-parameters");

  g_clear_pointer (&self->pending_changes, json_object_unref);
  node = json_from_string (last_parameters, &error);
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    self->pending_changes = json_object_ref (json_node_get_object (node));
  else if (error != NULL)
    g_debug ("Ignoring last-parameters: %s", error->message);

  /* Without a remembered profile, the values are for the one shown. */
  if (*last_profile == '\0' && self->profile != NULL)
    {
      g_free (last_profile);
      last_profile = g_strdup (dly_profile_get_name (self->profile));
    }
  g_free (self->pending_for);
  self->pending_for = g_strdup (last_profile);

  if (self->profile != NULL && g_strcmp0 (dly_profile_get_name (self->profile), last_profile) == 0)
    {
      if (self->pending_changes != NULL)
        dly_param_panel_load_changes (self->param_panel, self->pending_changes);
      g_clear_pointer (&self->pending_changes, json_object_unref);
      return;
    }
  if (*last_profile != '\0')
    dly_composer_select_profile (self, last_profile);
}

gboolean
dly_composer_get_can_generate (DlyComposer *self)
{
  g_return_val_if_fail (DLY_IS_COMPOSER (self), FALSE);
  return self->can_generate;
}

const char *
dly_composer_get_blocked_reason (DlyComposer *self)
{
  g_return_val_if_fail (DLY_IS_COMPOSER (self), NULL);
  return self->blocked_reason;
}

gboolean
dly_composer_get_mode (DlyComposer *self,
                       DlyMode     *mode)
{
  g_return_val_if_fail (DLY_IS_COMPOSER (self), FALSE);
  if (self->has_mode && mode != NULL)
    *mode = self->mode;
  return self->has_mode;
}

DlyComposerHealth
dly_composer_get_health (DlyComposer *self)
{
  g_return_val_if_fail (DLY_IS_COMPOSER (self), DLY_COMPOSER_HEALTH_NONE);
  return self->health;
}

const char *
dly_composer_get_health_message (DlyComposer *self)
{
  g_return_val_if_fail (DLY_IS_COMPOSER (self), NULL);
  return self->health_message;
}

void
dly_composer_refresh_health (DlyComposer *self)
{
  g_return_if_fail (DLY_IS_COMPOSER (self));

  /* A key added meanwhile is only found by looking it up again. */
  load_backend (self);
  dly_composer_update_state (self);
}

guint
dly_composer_get_takes (DlyComposer *self)
{
  g_return_val_if_fail (DLY_IS_COMPOSER (self), 1);
  return (guint) gtk_spin_button_get_value_as_int (self->takes_spin);
}

void
dly_composer_set_takes (DlyComposer *self,
                        guint        takes)
{
  g_return_if_fail (DLY_IS_COMPOSER (self));
  gtk_spin_button_set_value (self->takes_spin, CLAMP (takes, 1, 16));
}

DlyComposerSeeds
dly_composer_get_seeds (DlyComposer *self)
{
  g_return_val_if_fail (DLY_IS_COMPOSER (self), DLY_COMPOSER_SEEDS_CONSECUTIVE);
  return adw_combo_row_get_selected (self->seeds_row) == 1 ? DLY_COMPOSER_SEEDS_RANDOM
                                                           : DLY_COMPOSER_SEEDS_CONSECUTIVE;
}

void
dly_composer_set_seeds (DlyComposer      *self,
                        DlyComposerSeeds  seeds)
{
  g_return_if_fail (DLY_IS_COMPOSER (self));
  adw_combo_row_set_selected (self->seeds_row, seeds == DLY_COMPOSER_SEEDS_RANDOM ? 1 : 0);
}

GtkWidget *
dly_composer_get_param_panel (DlyComposer *self)
{
  g_return_val_if_fail (DLY_IS_COMPOSER (self), NULL);
  return GTK_WIDGET (self->param_panel);
}

GtkWidget *
dly_composer_get_image_picker (DlyComposer *self)
{
  g_return_val_if_fail (DLY_IS_COMPOSER (self), NULL);
  return GTK_WIDGET (self->image_picker);
}

GtkWidget *
dly_composer_get_audio_picker (DlyComposer *self)
{
  g_return_val_if_fail (DLY_IS_COMPOSER (self), NULL);
  return GTK_WIDGET (self->audio_picker);
}

GtkTextView *
dly_composer_get_prompt_view (DlyComposer *self)
{
  g_return_val_if_fail (DLY_IS_COMPOSER (self), NULL);
  return self->prompt_view;
}
