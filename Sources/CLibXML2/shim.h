#ifndef PLANKB_CLIBXML2_SHIM_H
#define PLANKB_CLIBXML2_SHIM_H

#include <libxml/xmlversion.h>
// Foundation on Linux brings its own ICU; libxml2's ICU headers would define UErrorCode a second time.
#undef LIBXML_ICU_ENABLED

#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/parser.h>
#include <libxml/xmlmemory.h>

// Swift 6 rejects the `xmlFree` global function pointer as not concurrency-safe; call it through here.
static inline void plankb_xmlFree(void *pointer) { xmlFree(pointer); }

#endif
