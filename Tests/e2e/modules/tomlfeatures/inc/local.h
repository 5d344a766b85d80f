// Found through include = ["inc"].
#define LOCAL_VALUE 5
