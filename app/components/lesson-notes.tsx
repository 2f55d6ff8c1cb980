// 划线与笔记 in a lesson's 文稿 (decision 045). The server sends the 文稿 with this reader's
// highlights already drawn (so they show without JS, and a link to #note-12 lands on one); this
// module adds what needs a browser: a selection offers 「划线」 and 「写笔记」, and becomes a range of
// the 文稿's plain text (its textContent, the text the server checks against). Every change is a
// form POST to the lesson page, so editing, deleting and sharing work without JS too.
import { Form, Link, useActionData, useNavigation, useSubmit } from '@remix-run/react'
import { useCallback, useEffect, useRef, useState, type FormEvent, type MouseEvent } from 'react'
import { NOTE_LIMITS, characterCount, noteAnchorId } from '~/domain/lesson-notes'
import { lessonNotesZhCN } from '~/i18n/lessonNotes.zh-CN'
import { Button } from './ui'

// The catalogue area this module reads (decision 028).
const n = lessonNotesZhCN

export interface LessonNoteItem {
  id: number
  quote: string
  note: string
  /** false when the passage is no longer in the 文稿 (an editor changed it). */
  placed: boolean
}

export type ShareGate = { allowed: true } | { allowed: false; message: string; join: boolean; signIn: boolean }

export interface LessonNotesData {
  items: LessonNoteItem[]
  share: { boardName: string; gate: ShareGate } | null
}

/** What the lesson page's note actions answer when they refuse (a success is a redirect). */
interface NoteActionData {
  intent?: string
  noteId?: number | null
  errors?: Partial<Record<'form' | 'range' | 'note', string>>
}

interface Selected {
  startOffset: number
  endOffset: number
  quote: string
  /** Where to put the toolbar, relative to the 文稿's box: under the selection's last line. */
  top: number
  left: number
}

export const noteCardId = (noteId: number) => `note-card-${noteId}`

/** How many characters of text lie in `container` before (node, offset): Range.toString counts text nodes as textContent does. */
function textOffset(container: HTMLElement, node: Node, offset: number) {
  const before = document.createRange()
  before.selectNodeContents(container)
  before.setEnd(node, offset)
  return before.toString().length
}

/** The current selection as a range of the 文稿's text, trimmed of spaces; null when it is not (all) in the 文稿. */
function readSelection(container: HTMLElement): Selected | null {
  const selection = document.getSelection()
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null
  // A selection may run past the 文稿 (a triple click ends at the next block): keep the part inside.
  const whole = document.createRange()
  whole.selectNodeContents(container)
  const range = selection.getRangeAt(0).cloneRange()
  if (!range.intersectsNode(container)) return null
  if (whole.comparePoint(range.startContainer, range.startOffset) < 0) range.setStart(container, 0)
  if (whole.comparePoint(range.endContainer, range.endOffset) > 0) range.setEnd(container, container.childNodes.length)
  const text = container.textContent ?? ''
  let startOffset = textOffset(container, range.startContainer, range.startOffset)
  let endOffset = textOffset(container, range.endContainer, range.endOffset)
  while (startOffset < endOffset && /\s/.test(text[startOffset]!)) startOffset += 1
  while (endOffset > startOffset && /\s/.test(text[endOffset - 1]!)) endOffset -= 1
  if (endOffset <= startOffset) return null
  const rects = range.getClientRects()
  const last = rects.length > 0 ? rects[rects.length - 1]! : range.getBoundingClientRect()
  const box = container.getBoundingClientRect()
  return {
    startOffset,
    endOffset,
    quote: text.slice(startOffset, endOffset),
    top: last.bottom - box.top + 8,
    left: Math.max(0, Math.min(last.left - box.left, box.width - 176)),
  }
}

/**
 * The 文稿 with the reader's highlights, the selection toolbar and, below, the list of their
 * highlights and notes. `notes` is null for a visitor: the 文稿 reads as before, with a line on
 * signing in to take notes.
 */
export function TranscriptWithNotes({ html, notes, signInHref }: { html: string; notes: LessonNotesData | null; signInHref: string }) {
  const textRef = useRef<HTMLDivElement>(null)
  const [selected, setSelected] = useState<Selected | null>(null)
  const [composing, setComposing] = useState<Selected | null>(null)
  const submit = useSubmit()
  const actionData = useActionData<NoteActionData>()
  // A tap on the toolbar can collapse the selection before the click arrives (phones do): the
  // toolbar keeps the last selection a moment, and a press on it keeps it for the click.
  const pressingToolbar = useRef(false)
  const hideTimer = useRef<ReturnType<typeof setTimeout>>()

  useEffect(() => {
    if (!notes) return
    const onSelectionChange = () => {
      const container = textRef.current
      const next = container ? readSelection(container) : null
      clearTimeout(hideTimer.current)
      if (next) setSelected(next)
      else hideTimer.current = setTimeout(() => (pressingToolbar.current ? undefined : setSelected(null)), 300)
    }
    document.addEventListener('selectionchange', onSelectionChange)
    // A selection made before the page's script ran is offered too.
    onSelectionChange()
    return () => {
      document.removeEventListener('selectionchange', onSelectionChange)
      clearTimeout(hideTimer.current)
    }
  }, [notes])

  const save = useCallback(
    (range: Selected, note: string) => {
      submit(
        { intent: 'highlight', startOffset: String(range.startOffset), endOffset: String(range.endOffset), quote: range.quote, note },
        { method: 'post', preventScrollReset: true },
      )
      document.getSelection()?.removeAllRanges()
      pressingToolbar.current = false
      setSelected(null)
      setComposing(null)
    },
    [submit],
  )

  // A tap on a drawn highlight (not the end of a new selection) opens its note below.
  const openNote = (event: MouseEvent<HTMLDivElement>) => {
    const mark = (event.target as Element).closest?.('mark[data-note]')
    if (!mark || !document.getSelection()?.isCollapsed) return
    const card = document.getElementById(noteCardId(Number(mark.getAttribute('data-note'))))
    card?.scrollIntoView({ behavior: 'smooth', block: 'center' })
    card?.focus({ preventScroll: true })
  }

  const rangeError = actionData?.intent === 'highlight' ? (actionData.errors?.range ?? actionData.errors?.note ?? actionData.errors?.form) : undefined

  return (
    <>
      {notes ? (
        <p className="text-sm text-stone-500">{n.selectHint}</p>
      ) : (
        <p className="text-sm text-stone-500">
          <Link to={signInHref} className="font-medium text-brand-700 underline">
            {n.signInToNote}
          </Link>
        </p>
      )}
      {rangeError ? (
        <p role="alert" className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {rangeError}
        </p>
      ) : null}
      <div className="relative">
        {/* A click only opens a note that exists (each is also in the list below); selecting text starts one. */}
        <div ref={textRef} className="prose-zhiyin" onClick={notes ? openNote : undefined} dangerouslySetInnerHTML={{ __html: html }} />
        {selected && !composing ? (
          <div
            role="toolbar"
            aria-label={n.toolbarLabel}
            className="absolute z-20 flex overflow-hidden rounded-lg bg-stone-900 text-sm font-semibold text-white shadow-lg"
            style={{ top: selected.top, left: selected.left }}
            onPointerDown={(event) => {
              // Keeps the selection on a desktop, where pressing a button would clear it.
              event.preventDefault()
              pressingToolbar.current = true
            }}
          >
            <button type="button" className="px-4 py-2.5 hover:bg-stone-700" onClick={() => save(selected, '')}>
              {n.highlight}
            </button>
            <span aria-hidden className="w-px bg-stone-600" />
            <button
              type="button"
              className="px-4 py-2.5 hover:bg-stone-700"
              onClick={() => {
                pressingToolbar.current = false
                setComposing(selected)
              }}
            >
              {n.writeNote}
            </button>
          </div>
        ) : null}
        {composing ? (
          <NoteComposer
            selected={composing}
            onCancel={() => {
              setComposing(null)
              setSelected(null)
            }}
            onSave={(note) => save(composing, note)}
          />
        ) : null}
      </div>
      {notes && notes.items.length > 0 ? <NotesList notes={notes} /> : null}
    </>
  )
}

function NoteComposer({ selected, onCancel, onSave }: { selected: Selected; onCancel: () => void; onSave: (note: string) => void }) {
  const [note, setNote] = useState('')
  const count = characterCount(note)
  const over = count > NOTE_LIMITS.noteMax
  return (
    <form
      aria-label={n.writeNote}
      className="absolute inset-x-0 z-20 space-y-2 rounded-xl border border-stone-200 bg-white p-3 shadow-xl sm:left-auto sm:right-auto sm:w-[28rem]"
      style={{ top: selected.top }}
      onSubmit={(event: FormEvent) => {
        event.preventDefault()
        if (!over) onSave(note.trim())
      }}
    >
      <blockquote className="line-clamp-3 border-l-4 border-amber-400 pl-3 text-sm whitespace-pre-line text-stone-600">{selected.quote}</blockquote>
      <label className="block text-sm font-medium text-stone-800">
        {n.noteLabel}
        <textarea
          name="note"
          rows={4}
          autoFocus
          value={note}
          onChange={(event) => setNote(event.target.value)}
          placeholder={n.notePlaceholder}
          aria-invalid={over || undefined}
          className="mt-1 block w-full rounded-lg border border-stone-300 px-3 py-2 text-base font-normal"
        />
      </label>
      <div className="flex items-center justify-between gap-3">
        <span className={`text-xs tabular-nums ${over ? 'font-semibold text-red-700' : 'text-stone-500'}`} aria-live="polite">
          {n.noteCount(count, NOTE_LIMITS.noteMax)}
        </span>
        <div className="flex gap-2">
          <Button type="button" variant="ghost" onClick={onCancel}>
            {n.cancel}
          </Button>
          <Button disabled={over || note.trim() === ''}>{n.save}</Button>
        </div>
      </div>
    </form>
  )
}

function NotesList({ notes }: { notes: LessonNotesData }) {
  const actionData = useActionData<NoteActionData>()
  const share = notes.share
  return (
    <section aria-labelledby="my-notes" className="space-y-3 border-t border-stone-200 pt-4">
      <h3 id="my-notes" className="text-lg font-bold text-stone-900">
        {n.mine(notes.items.length)}
      </h3>
      {share && !share.gate.allowed ? (
        <p role="note" className="flex flex-wrap gap-x-3 rounded-lg border border-brand-100 bg-brand-50 px-3 py-2 text-sm text-stone-800">
          <span>{share.gate.message}</span>
          {share.gate.join ? (
            <Link to="/membership" className="font-medium text-brand-700 underline">
              {n.joinToShare}
            </Link>
          ) : null}
        </p>
      ) : null}
      <ul className="space-y-3">
        {notes.items.map((item) => (
          <NoteCard key={item.id} item={item} share={share} error={actionData?.noteId === item.id ? actionData.errors?.note ?? actionData.errors?.form : undefined} />
        ))}
      </ul>
    </section>
  )
}

function NoteCard({ item, share, error }: { item: LessonNoteItem; share: LessonNotesData['share']; error: string | undefined }) {
  const busy = useNavigation().state !== 'idle'
  const confirmDelete = (event: FormEvent) => {
    if (!window.confirm(n.deleteConfirm)) event.preventDefault()
  }
  return (
    <li id={noteCardId(item.id)} tabIndex={-1} className="space-y-2 rounded-xl border border-stone-200 bg-white p-4 shadow-sm focus:outline-2 focus:outline-amber-400">
      <blockquote className="border-l-4 border-amber-400 pl-3 text-stone-700 whitespace-pre-line">{item.quote}</blockquote>
      {item.note ? <p className="whitespace-pre-wrap text-stone-900">{item.note}</p> : null}
      {item.placed ? null : <p className="text-xs text-amber-800">{n.moved}</p>}
      {error ? (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
        {item.placed ? (
          <a href={`#${noteAnchorId(item.id)}`} className="font-medium text-brand-700 hover:underline">
            {n.viewInText}
          </a>
        ) : null}
        <details className="group w-full order-last">
          <summary className="cursor-pointer font-medium text-brand-700 hover:underline">{item.note ? n.editNote : n.addNote}</summary>
          <Form method="post" preventScrollReset className="mt-2 space-y-2">
            <input type="hidden" name="intent" value="note" />
            <input type="hidden" name="noteId" value={item.id} />
            <textarea
              name="note"
              rows={3}
              defaultValue={item.note}
              aria-label={n.noteLabel}
              placeholder={n.notePlaceholder}
              className="block w-full rounded-lg border border-stone-300 px-3 py-2 text-base"
            />
            <Button variant="secondary" disabled={busy}>
              {n.save}
            </Button>
          </Form>
        </details>
        <Form method="post" preventScrollReset onSubmit={confirmDelete}>
          <input type="hidden" name="intent" value="delete" />
          <input type="hidden" name="noteId" value={item.id} />
          <button type="submit" disabled={busy} className="font-medium text-red-700 hover:underline disabled:opacity-60">
            {n.delete}
          </button>
        </Form>
        {share?.gate.allowed ? (
          <Form method="post">
            <input type="hidden" name="intent" value="share" />
            <input type="hidden" name="noteId" value={item.id} />
            <button type="submit" disabled={busy} title={n.shareHint(share.boardName)} className="font-medium text-brand-700 hover:underline disabled:opacity-60">
              {n.share}
            </button>
          </Form>
        ) : null}
      </div>
    </li>
  )
}
