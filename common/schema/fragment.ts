/**
 * The Y.Doc's XmlFragment that holds the ProseMirror content. Part of the public interface: a stock y-websocket
 * client reads and writes the document through this name.
 */
export const contentFragmentName = 'default';
