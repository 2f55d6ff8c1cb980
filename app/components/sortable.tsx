// Reordering a list by dragging its handle (the course editor's chapters and lessons, decision
// 046). The browser's own drag-and-drop, no library: an item becomes draggable only while its
// handle is held, so the inputs inside an item keep their text selection. On drop the new order
// is submitted as one form (`order` = ids, comma-separated); the up/down buttons beside each
// item stay the way without script, and on touch screens, where HTML drag-and-drop is missing.
import { useFetcher } from '@remix-run/react'
import { useEffect, useState, type DragEvent, type ReactNode } from 'react'

/** `moving` placed where `target` is, the others keeping their order. */
export function movedBefore(order: number[], moving: number, target: number) {
  const from = order.indexOf(moving)
  const to = order.indexOf(target)
  if (from < 0 || to < 0 || from === to) return order
  const next = order.filter((id) => id !== moving)
  next.splice(to, 0, moving)
  return next
}

export interface SortableHandle {
  /** Spread on the element the editor holds to drag (a ⠿ grip). */
  props: { onPointerDown: () => void; onPointerUp: () => void; title: string }
  dragging: boolean
}

export function SortableList<T extends { id: number }>({
  items,
  fields,
  handleLabel,
  className,
  itemClassName,
  children,
}: {
  items: T[]
  /** The form sent with the new order: intent and whatever names the list (e.g. chapterId). */
  fields: Record<string, string>
  handleLabel: (item: T) => string
  className?: string
  itemClassName?: string
  children: (item: T, index: number, handle: SortableHandle) => ReactNode
}) {
  const fetcher = useFetcher()
  const ids = items.map((item) => item.id)
  const key = ids.join(',')
  const [order, setOrder] = useState(ids)
  const [armed, setArmed] = useState<number | null>(null)
  const [dragging, setDragging] = useState<number | null>(null)
  // The server's order wins whenever it changes (after a save, or an up/down button).
  useEffect(() => setOrder(key ? key.split(',').map(Number) : []), [key])

  const byId = new Map(items.map((item) => [item.id, item]))
  const shown = order.map((id) => byId.get(id)).filter((item): item is T => item !== undefined)

  const over = (event: DragEvent, target: number) => {
    if (dragging === null) return
    // Nested lists (lessons in a chapter): the innermost list that is dragging answers.
    event.stopPropagation()
    event.preventDefault()
    if (target !== dragging) setOrder((current) => movedBefore(current, dragging, target))
  }
  const end = (event: DragEvent) => {
    event.stopPropagation()
    setDragging(null)
    setArmed(null)
    if (order.join(',') !== key) fetcher.submit({ ...fields, order: order.join(',') }, { method: 'post' })
  }

  return (
    <ol className={className}>
      {shown.map((item, index) => (
        <li
          key={item.id}
          className={`${itemClassName ?? ''} ${dragging === item.id ? 'opacity-50 ring-2 ring-brand-300' : ''}`}
          draggable={armed === item.id}
          onDragStart={(event) => {
            event.stopPropagation()
            event.dataTransfer.effectAllowed = 'move'
            event.dataTransfer.setData('text/plain', String(item.id))
            setDragging(item.id)
          }}
          onDragOver={(event) => over(event, item.id)}
          onDrop={(event) => {
            if (dragging !== null) event.preventDefault()
          }}
          onDragEnd={end}
        >
          {children(item, index, {
            props: { onPointerDown: () => setArmed(item.id), onPointerUp: () => setArmed(null), title: handleLabel(item) },
            dragging: dragging === item.id,
          })}
        </li>
      ))}
    </ol>
  )
}

/** The grip an item is dragged by. Hidden from keyboards and screen readers: their way is ↑ ↓. */
export function DragGrip({ handle }: { handle: SortableHandle }) {
  return (
    <span
      {...handle.props}
      aria-hidden
      className="hidden cursor-grab touch-none select-none rounded px-1 text-lg leading-none text-stone-400 hover:bg-stone-100 hover:text-stone-700 active:cursor-grabbing sm:inline-block"
    >
      ⠿
    </span>
  )
}
